import { escapeHtml } from '../mail/html';

// Pages and e-mails escape the same way: every value put in a page goes through it.
export { escapeHtml };

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="es-CO">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Metas PDM</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
  fieldset { margin: 1rem 0; border: 1px solid #888; border-radius: .4rem; }
  label { display: block; margin-top: .5rem; font-weight: 600; }
  input, textarea, select { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; }
  .targets { display: grid; grid-template-columns: repeat(4, 1fr); gap: .5rem; }
  .error { background: #fde8e8; border-left: .3rem solid #b00020; padding: .5rem 1rem; }
  .ok { background: #e6f4ea; border-left: .3rem solid #1e7e34; padding: .5rem 1rem; }
  table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ccc; padding: .3rem; text-align: left; }
  button { font: inherit; padding: .6rem 1.2rem; background: #0b4f8a; color: #fff; border: 0; border-radius: .3rem; }
</style>
</head>
<body>
<header><p><a href="/">Metas PDM</a> · Procedimiento PE-P-008</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

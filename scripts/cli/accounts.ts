/** `metas user create`, `login`, `logout` and `metas token …`: accounts and the API tokens the command line uses. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { api, ApiError, apiToken, bootstrapToken, integer, printTable, readPassword, savedToken, tokenFile } from './client';

interface TokenRow {
  id: number;
  name: string;
  userEmail: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}
const tokenStateLabels: Record<TokenRow['state'], string> = { active: 'vigente', expired: 'vencido', revoked: 'revocado' };

export function registerAccountCommands(program: Command) {
  const user = program.command('user').description('cuentas de usuario');
  user
    .command('create')
    .description('crea una cuenta; la primera debe ser de administrador y se crea desde el mismo servidor')
    .requiredOption('--email <email>', 'correo de la cuenta')
    .requiredOption('--role <role>', 'admin, operator, coordinator, liaison o viewer')
    .option('--name <name>', 'nombre de la persona')
    .option('--department <code>', 'dependencia (obligatoria para enlaces)')
    .option('--bootstrap-token <code>', 'código de instalación que mostró «npm start» (solo para el primer administrador; en el servidor se lee de DATA_DIR/bootstrap-token)')
    .action(async (opts: { email: string; role: string; name?: string; department?: string; bootstrapToken?: string }) => {
      const password = await readPassword('Contraseña (mínimo 12 caracteres): ');
      // Only without a logged-in account: the code is how the first administrator is created.
      const code = apiToken() ? undefined : bootstrapToken(opts.bootstrapToken);
      const { data } = await api<{ id: number; email: string; role: string }>(
        'POST',
        '/api/users',
        { email: opts.email, name: opts.name ?? opts.email, role: opts.role, departmentCode: opts.department, password },
        code ? { 'x-bootstrap-token': code } : {},
      );
      console.log(`Cuenta creada: #${data.id} ${data.email} (${data.role}). Inicie sesión con: npm run metas -- login --email ${data.email}`);
    });

  program
    .command('login')
    .description('obtiene un token de acceso para la línea de comandos y lo guarda para este usuario del sistema')
    .requiredOption('--email <email>', 'correo de la cuenta')
    .action(async (opts: { email: string }) => {
      const password = await readPassword('Contraseña: ');
      const { data } = await api<{ token: string }>('POST', '/api/auth/tokens', { email: opts.email, password, name: `línea de comandos (${os.hostname()})` });
      const file = tokenFile();
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, `${data.token}\n`, { mode: 0o600 });
      console.log(`Sesión iniciada; token guardado en ${file}`);
    });

  program
    .command('logout')
    .description('revoca en el servidor el token guardado por login y lo borra de este equipo')
    .option('--local', 'solo borra el archivo (si el servidor no está disponible); el token sigue vigente hasta que venza o se revoque')
    .action(async (opts: { local?: boolean }) => {
      const file = tokenFile();
      const token = savedToken();
      if (!token) return console.log(`No hay token guardado en ${file}.`);
      if (!opts.local) {
        try {
          const { data } = await api<{ id: number }>('DELETE', '/api/auth/tokens/current', undefined, { authorization: `Bearer ${token}` });
          console.log(`Token #${data.id} revocado en el servidor.`);
        } catch (error) {
          // A token the server no longer accepts (revoked, expired) only needs deleting here.
          if (!(error instanceof ApiError && error.status === 401)) {
            throw new ApiError(`${error instanceof Error ? error.message : String(error)} El token no se borró: intente de nuevo, o use «logout --local» y revóquelo después en /cuenta/tokens.`);
          }
          console.log('El servidor ya no aceptaba este token (vencido o revocado).');
        }
      }
      await rm(file, { force: true });
      console.log(`Token eliminado de ${file}.`);
    });

  const token = program.command('token').description('tokens de acceso de la API');
  token
    .command('list')
    .description('sus tokens (con --all, los de todas las cuentas: administradores)')
    .option('--all', 'todas las cuentas')
    .option('--json', 'salida JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const { data } = await api<{ tokens: TokenRow[] }>('GET', `/api/auth/tokens${opts.all ? '?all=1' : ''}`);
      if (opts.json) return console.log(JSON.stringify(data.tokens, null, 2));
      if (!data.tokens.length) return console.log('No hay tokens.');
      printTable(
        ['#', ...(opts.all ? ['Cuenta'] : []), 'Nombre', 'Estado', 'Creado', 'Vence', 'Último uso (UTC)'],
        data.tokens.map((tk) => [
          String(tk.id),
          ...(opts.all ? [tk.userEmail] : []),
          tk.name,
          tokenStateLabels[tk.state],
          tk.createdAt.slice(0, 10),
          tk.expiresAt.slice(0, 10),
          tk.lastUsedAt ? tk.lastUsedAt.slice(0, 16).replace('T', ' ') : 'nunca',
        ]),
        { leftColumns: opts.all ? 7 : 6 },
      );
    });
  token
    .command('revoke <id>')
    .description('revoca un token (los suyos; un administrador, cualquiera)')
    .action(async (id: string) => {
      const n = integer('id')(id);
      await api('DELETE', `/api/auth/tokens/${n}`);
      console.log(`Token #${n} revocado.`);
    });
}

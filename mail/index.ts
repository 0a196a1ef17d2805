export * from './mailer';
export * from './templates';
export { escapeHtml } from './html';

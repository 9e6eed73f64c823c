import { parseArgs } from 'node:util';
import { DisplayName, Email, Password, Role } from '@parley/protocol';
import { ConfigError, loadConfig } from './config.js';
import { ParleyError } from './errors.js';
import { createServer } from './server.js';

const USAGE = `Usage:
  parley serve
      Start the comments server (configured by PARLEY_* environment variables).
  parley user create --email EMAIL --name NAME --password PASSWORD [--role moderator] [--site SITE]
      Add a user to the database named by PARLEY_DB. --role gives them a role on
      --site (default: PARLEY_SITE).
  parley help
`;

class UsageError extends Error {}

/** The server could not start for a reason the operator can fix. */
class StartupError extends Error {}

async function serve(): Promise<void> {
  const config = loadConfig();
  const server = await createServer(config);
  const { url } = await server.listen().catch(async (error: NodeJS.ErrnoException) => {
    await server.close();
    if (error.code === 'EADDRINUSE') throw new StartupError(`Port ${config.port} is already in use. Set PARLEY_PORT to a free port.`);
    if (error.code === 'EACCES') throw new StartupError(`Not allowed to listen on port ${config.port}. Set PARLEY_PORT to another port.`);
    throw error;
  });
  server.logger.info({ url, db: config.dbPath, site: config.site, origins: config.origins }, 'Parley is listening');
  console.log(`Parley comments server: ${url} (embed: ${url}/embed.js)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function createUser(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string', default: 'commenter' },
      site: { type: 'string' },
    },
    strict: true,
  });
  const problems: string[] = [];
  const check = <T>(label: string, result: { success: true; data: T } | { success: false; error: { issues: { message: string }[] } }) => {
    if (result.success) return result.data;
    problems.push(`--${label}: ${result.error.issues[0]?.message}`);
    return undefined;
  };
  const email = check('email', Email.safeParse(values.email ?? ''));
  const name = check('name', DisplayName.safeParse(values.name ?? ''));
  const password = check('password', Password.safeParse(values.password ?? ''));
  const role = check('role', Role.safeParse(values.role));
  if (problems.length || !email || !name || !password || !role) throw new UsageError(problems.join('\n'));

  const config = loadConfig({ ...process.env, PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'warn' });
  const server = await createServer(config);
  try {
    const site = values.site ?? config.site;
    await server.store.ensureSite(site, site);
    const user = await server.accounts.createUser({ email, name, password, site, role });
    console.log(`Created ${role} ${name} <${email}> (id ${user.id}) on site "${site}" in ${config.dbPath}`);
  } finally {
    await server.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === 'serve') await serve();
    else if (command === 'user' && sub === 'create') await createUser(rest);
    else if (!command || command === 'help' || command === '--help') console.log(USAGE);
    else throw new UsageError(`Unknown command: ${argv.join(' ')}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof StartupError) console.error(error.message);
    else if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof ParleyError) console.error(`Error: ${error.message}`);
    else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`${(error as Error).message}\n\n${USAGE}`);
    else console.error(error);
    return 1;
  }
}

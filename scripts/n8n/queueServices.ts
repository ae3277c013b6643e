/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- dev tooling, not shipped in the package */
/**
 * What queue mode needs beside n8n: a PostgreSQL database and a Redis key prefix, each fresh per
 * run and removed after it, on the machine's PostgreSQL (127.0.0.1:5432, trust, user postgres)
 * and Redis (127.0.0.1:6379), through their command-line clients `psql` and `redis-cli`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
export const REDIS = { host: '127.0.0.1', port: 6379 } as const;

/** Names we create and drop: lower-case letters, digits and underscores only (no quoting needed). */
const SAFE_NAME = /^[a-z0-9_]+$/;

async function run(command: string, args: string[]): Promise<string> {
	try {
		const { stdout } = await execFileAsync(command, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
		return stdout;
	} catch (error) {
		const { stderr = '', message } = error as { stderr?: string; message: string };
		throw new Error(`${command} ${args.join(' ')} failed: ${stderr || message}`);
	}
}

async function psql(sql: string): Promise<string> {
	return await run('psql', [
		'-h',
		POSTGRES.host,
		'-p',
		String(POSTGRES.port),
		'-U',
		POSTGRES.user,
		'-d',
		'postgres',
		'-v',
		'ON_ERROR_STOP=1',
		'-tA',
		'-c',
		sql,
	]);
}

/** A name unique to this run, e.g. `whatsable_q_1a2b3c4d5e6f`. */
export function runName(prefix: string): string {
	return `${prefix}_${randomBytes(6).toString('hex')}`;
}

function checked(name: string): string {
	if (!SAFE_NAME.test(name)) throw new Error(`unsafe name ${name}`);
	return name;
}

export async function createDatabase(name: string): Promise<void> {
	await psql(`CREATE DATABASE ${checked(name)}`);
}

/** Drops the database even while n8n processes are still connected to it. */
export async function dropDatabase(name: string): Promise<void> {
	await psql(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
}

/** Deletes every Redis key under `prefix` (n8n's Bull queue keys are `<prefix>:...`). */
export async function deleteRedisPrefix(prefix: string): Promise<number> {
	const base = ['-h', REDIS.host, '-p', String(REDIS.port)];
	const keys = (await run('redis-cli', [...base, '--scan', '--pattern', `${checked(prefix)}:*`]))
		.split('\n')
		.filter((k) => k !== '');
	for (let i = 0; i < keys.length; i += 500) {
		await run('redis-cli', [...base, 'DEL', ...keys.slice(i, i + 500)]);
	}
	return keys.length;
}

/** The settings that put an n8n process into queue mode on this database and Redis prefix. */
export function queueModeEnv(database: string, redisPrefix: string): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: REDIS.host,
		QUEUE_BULL_REDIS_PORT: String(REDIS.port),
		QUEUE_BULL_PREFIX: checked(redisPrefix),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: POSTGRES.host,
		DB_POSTGRESDB_PORT: String(POSTGRES.port),
		DB_POSTGRESDB_DATABASE: checked(database),
		DB_POSTGRESDB_USER: POSTGRES.user,
	};
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { Clock, FixedClock } from '../../src/common/clock';
import { AppConfig, buildConfig } from '../../src/config/app-config';
import { prepareDatabase } from '../../src/prepare-database';
import { LoginResult } from '../../src/modules/auth/auth.dto';
import { ApiClient, ApiResponse, CallOptions, RawMethod } from './api';
import { createTestDatabase, dropTestDatabase } from './database';

export const ADMIN = { email: 'admin@mpp-monitor.test', password: 'Kunci-Utama-2026!' };
export const PASSWORD = 'Rahasia-Kuat-2026!';

export interface RequestOptions extends CallOptions {
  token?: string;
}

/** The real application on its own fresh database, driven through Fastify's in-process inject. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    readonly clock: Clock,
  ) {}

  /** `databaseUrl` reuses a database (a restart); otherwise a fresh one is made and migrated. */
  static async start(options: { clock?: FixedClock; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<TestApp> {
    const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
    await prepareDatabase(databaseUrl, { log: () => undefined });
    const config = buildConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mpp-test-data-')),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      // The scheduler's cron is real time; suites that test it opt in with APP_MODE=all and drive tick().
      APP_MODE: 'api',
      ...options.env,
    });
    const clock = options.clock ?? new Clock();
    const app = await createApp(config, { clock });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, config, clock);
  }

  /** The API as the holder of `token` calls it (anonymous without one). */
  as(token?: string): ApiClient {
    return new ApiClient(this.app, token);
  }

  /** A request off the contract on purpose (see `ApiClient.raw`): hostile input, a preflight; the answer untyped. */
  raw(method: RawMethod, url: string, options: RequestOptions = {}): Promise<ApiResponse<unknown>> {
    return this.as(options.token).raw(method, url, options);
  }

  async login(email: string, password = PASSWORD): Promise<string> {
    const res = await this.as().post<LoginResult>('/api/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${res.text}`);
    return res.body.accessToken;
  }

  adminToken(): Promise<string> {
    return this.login(ADMIN.email, ADMIN.password);
  }

  /** Listens on a free local port (for a real browser); answers the base URL. */
  async listen(): Promise<string> {
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    const address = this.app.getHttpServer().address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  /** Stops the app; `keepDatabase` leaves its database for a restart. */
  async close(options: { keepDatabase?: boolean } = {}): Promise<void> {
    await this.app.close();
    if (!options.keepDatabase) await dropTestDatabase(this.config.databaseUrl);
  }

  async sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.app.get(DataSource).query(query, params);
  }
}

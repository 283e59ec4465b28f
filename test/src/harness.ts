/**
 * Builds the app over in-memory fakes for the service tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import { loadConfig, type Config } from '../../src/config.js';
import { DirArtifactStore } from '../../src/store/dir-artifact-store.js';
import { FakeExecutor, FakeInjector, FakePipeline } from './fakes.js';

export const TOKEN = 'test-token-1';
export const auth = { authorization: `Bearer ${TOKEN}` };

export interface Harness {
  app: FastifyInstance;
  config: Config;
  deps: AppDeps;
  executor: FakeExecutor;
  injector: FakeInjector;
  pipeline: FakePipeline;
  store: DirArtifactStore;
  dataDir: string;
}

export async function harness(env: Record<string, string> = {}, extra: Partial<AppDeps> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-app-'));
  const config = loadConfig({ FAULTLINE_API_TOKENS: TOKEN, FAULTLINE_RATE_LIMIT: '100000', ...env }, { dataDir });
  const executor = new FakeExecutor();
  const injector = new FakeInjector();
  const pipeline = new FakePipeline();
  const store = new DirArtifactStore(dataDir);
  const deps: AppDeps = { store, executor, injector, pipeline, manifestPath: 'faultline.yaml', baseDir: dataDir, ...extra };
  const app = await buildApp(config, deps);
  await app.ready();
  return { app, config, deps, executor, injector, pipeline, store, dataDir };
}

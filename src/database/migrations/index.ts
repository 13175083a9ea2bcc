import { CreateRegistry1764300000000 } from './1764300000000-CreateRegistry';

/** Listed explicitly so the same list works compiled (dist) and under ts-jest/swc. */
export const migrations = [CreateRegistry1764300000000];

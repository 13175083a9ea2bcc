// Preloaded (after ts-hook.cjs) into app processes a test starts with TEST_NOW: the app's Clock
// then answers that instant, as FixedClock does in-process. Test-only; never loaded by the app.
const { join } = require('node:path');
const { Clock } = require(join(__dirname, '..', '..', 'src', 'common', 'clock.ts'));
const at = new Date(process.env.TEST_NOW);
if (Number.isNaN(at.getTime())) throw new Error(`TEST_NOW is not a date: ${process.env.TEST_NOW}`);
Clock.prototype.now = () => new Date(at.getTime());

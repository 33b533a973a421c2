import { Migrator } from '../database/migrator';
import { runWithDatabase } from './cli-database';

/** `npm run migrate [up|down|status]` against MONGODB_URI, or the embedded database under DATA_DIR. */
const command = process.argv[2] ?? 'up';
if (!['up', 'down', 'status'].includes(command)) {
  console.error(`unknown command "${command}": use up, down or status`);
  process.exit(1);
}

runWithDatabase(async (db) => {
  const migrator = new Migrator(db);
  if (command === 'up') {
    const applied = await migrator.up();
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
  } else if (command === 'down') {
    const id = await migrator.down();
    console.log(id ? `rolled back: ${id}` : 'nothing to roll back');
  }
  for (const m of await migrator.status()) {
    console.log(`${m.appliedAt ? 'applied' : 'pending'}  ${m.id}  ${m.description}`);
  }
});

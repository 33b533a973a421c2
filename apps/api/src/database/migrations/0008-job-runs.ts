import { type IndexDef, indexMigration } from './migration';

// One document per scheduled job and time slot (see JobRuns); old slots are deleted by `at`.
const INDEXES: IndexDef[] = [
  {
    collection: 'job_runs',
    key: { job: 1, at: 1 },
    options: { name: 'job_runs_job_at' },
  },
];

export const m0008JobRuns = indexMigration(
  '0008-job-runs',
  'scheduled jobs: one run per time slot across processes',
  INDEXES,
);

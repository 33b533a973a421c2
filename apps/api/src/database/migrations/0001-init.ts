import type { Migration } from './migration';

/** The migrations bookkeeping itself needs nothing; this first step records the baseline. */
export const m0001Init: Migration = {
  id: '0001-init',
  description: 'baseline',
  async up() {
    // nothing to create: collections appear on first write
  },
  async down() {
    // nothing to undo
  },
};

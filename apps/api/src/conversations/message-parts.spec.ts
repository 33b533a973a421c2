import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import type { DeliveryUpdateStatus } from './conversation.types';
import { type MessagePartStatusDoc, shownStatus } from './message-parts';

const WORKSPACE = new ObjectId();

const PARTS = [
  { _id: 'w0', index: 0 },
  { _id: 'w1', index: 1 },
  { _id: 'w2', index: 2 },
];

function st(wamid: string, status: DeliveryUpdateStatus, second = 0): MessagePartStatusDoc {
  return {
    _id: `${wamid}|${status}`,
    workspaceId: WORKSPACE,
    messageId: 'm',
    wamid,
    status,
    at: new Date(second * 1000),
    ...(status === 'failed' ? { errorCode: 131049, errorReason: 'Meta says no' } : {}),
  };
}

describe('shownStatus (a split reply shows its least advanced part)', () => {
  it('is pending until every part has a status', () => {
    expect(shownStatus(PARTS, 3, [st('w0', 'read'), st('w1', 'read')])).toEqual({
      status: 'pending',
      at: null,
    });
  });

  it('takes the least advanced part, read implying delivered, timed by the last part to get there', () => {
    const shown = shownStatus(PARTS, 3, [
      st('w0', 'read', 5),
      st('w1', 'delivered', 7),
      st('w2', 'read', 3),
    ]);
    expect(shown).toEqual({ status: 'delivered', at: new Date(7000) });
  });

  it('fails with the first failed part and its reason, whatever the others did', () => {
    expect(
      shownStatus(PARTS, 3, [st('w0', 'read'), st('w2', 'failed', 9), st('w1', 'failed', 8)]),
    ).toEqual({
      status: 'failed',
      at: new Date(8000),
      failure: { errorCode: 131049, errorReason: 'Meta says no', part: 1 },
    });
  });

  it('ignores statuses of wamids that are not parts of the reply (an earlier send)', () => {
    expect(
      shownStatus(PARTS.slice(0, 1), 1, [st('old', 'failed'), st('w0', 'sent', 1)]),
    ).toMatchObject({ status: 'sent' });
  });

  const statusArb = fc.record({
    wamid: fc.constantFrom('w0', 'w1', 'w2'),
    status: fc.constantFrom<DeliveryUpdateStatus>('sent', 'delivered', 'read', 'failed'),
    second: fc.integer({ min: 0, max: 100 }),
  });
  const RANK = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;

  // Statuses are unique by (wamid, status): the set Meta reported, each stored once.
  it('property: the result depends on the set of statuses, not on their order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(statusArb, { maxLength: 12, selector: (s) => `${s.wamid}|${s.status}` }),
        (list) => {
          const docs = list.map((s) => st(s.wamid, s.status, s.second));
          expect(shownStatus(PARTS, 3, [...docs].reverse())).toEqual(shownStatus(PARTS, 3, docs));
        },
      ),
    );
  });

  it('property: one more status never moves the shown status backwards', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(statusArb, { maxLength: 12, selector: (s) => `${s.wamid}|${s.status}` }),
        statusArb,
        (list, extra) => {
          const docs = list.map((s) => st(s.wamid, s.status, s.second));
          const before = shownStatus(PARTS, 3, docs).status;
          const after = shownStatus(PARTS, 3, [
            ...docs,
            st(extra.wamid, extra.status, extra.second),
          ]).status;
          expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
        },
      ),
    );
  });
});

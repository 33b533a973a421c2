// The embedded FerretDB is built with Conecta's filter pushdown (_ferretdb/pushdown.go). These
// cases pin the MongoDB matching and sort rules the pushdown must not break: it may only pre-select
// a superset of the matching documents (for a sorted find with a limit, of those that can be among
// its first N), which FerretDB then filters and sorts exactly. Run against whatever server the
// test run uses (on MongoDB they simply hold).
const { afterAll, beforeAll, describe, expect, it } = require('@jest/globals');
const { MongoClient, ObjectId } = require('mongodb');

const uri = process.env.TEST_MONGODB_URI;
let client;
let coll;

const hex = '65a1b2c3d4e5f60718293a4b';
const docs = [
  { _id: 'a', tag: 'x', n: 1 },
  { _id: 'b', tag: ['y', 'x'], n: 2 }, // an array holding the value matches
  { _id: 'c', tag: [{ v: 'x' }], n: 3 }, // an array of documents does not
  { _id: 'd', tag: { v: 'x' }, n: 4 }, // nor a document
  { _id: 'e', n: 5 }, // nor a missing field
  { _id: 'f', tag: new ObjectId(hex), n: 6 }, // an ObjectId never equals its hex string
  { _id: 'g', tag: hex, n: 7 },
  { _id: 'h', tag: 'a "quoted" <b> & \\ é', n: 8 }, // characters JSON may escape
  { _id: 'i', tag: [], n: 9 },
  { _id: 'j', tag: null, n: 10 },
];

const ids = (found) => found.map((d) => d._id).sort();

beforeAll(async () => {
  client = await MongoClient.connect(uri);
  coll = client.db(`pushdown_${process.pid}_${Date.now()}`).collection('docs');
  await coll.createIndex({ tag: 1 });
  await coll.insertMany(docs);
});

afterAll(async () => {
  await coll.db.dropDatabase();
  await client.close();
});

describe('embedded database filter pushdown keeps MongoDB matching', () => {
  it.each([
    [{ tag: 'x' }, ['a', 'b']],
    [{ tag: 'y' }, ['b']],
    [{ tag: hex }, ['g']],
    [{ tag: new ObjectId(hex) }, ['f']],
    [{ tag: 'a "quoted" <b> & \\ é' }, ['h']],
    [{ tag: { $in: ['y', 'nothing'] } }, ['b']],
    [{ tag: { $in: ['x', hex] } }, ['a', 'b', 'g']],
    [{ tag: 'x', n: { $gt: 1 } }, ['b']],
    [{ _id: 'b', tag: 'x' }, ['b']],
    [{ _id: 'a', tag: 'y' }, []],
    [{ _id: { $in: ['a', 'c', 'zz'] } }, ['a', 'c']],
    [{ _id: { $in: ['a', 'c'] }, tag: 'x' }, ['a']],
    [{ tag: 'x', $or: [{ n: 1 }, { n: 3 }] }, ['a']],
    [{ tag: null }, ['e', 'j']],
  ])('find(%j)', async (filter, expected) => {
    expect(ids(await coll.find(filter).toArray())).toEqual(expected);
    expect(await coll.countDocuments(filter)).toBe(expected.length);
  });

  it('keeps array values of every field of a compound index', async () => {
    const pairs = coll.db.collection('pairs');
    await pairs.createIndex({ kind: 1, tag: 1, n: 1 });
    await pairs.insertMany([
      { _id: 1, kind: 'k', tag: 'x', n: 1 },
      { _id: 2, kind: ['z', 'k'], tag: 'x', n: 1 },
      { _id: 3, kind: 'k', tag: ['y', 'x'], n: 1 },
      { _id: 4, kind: 'k', tag: 'y', n: 1 },
      { _id: 5, kind: 'z', tag: 'x', n: 2 },
      { _id: 6, kind: ['k'], tag: ['x'], n: 1 },
    ]);
    const found = async (filter) => ids(await pairs.find(filter).toArray());
    expect(await found({ kind: 'k', tag: 'x' })).toEqual([1, 2, 3, 6]);
    expect(await found({ tag: 'x', kind: 'k', n: 1 })).toEqual([1, 2, 3, 6]);
    expect(await found({ kind: { $in: ['k', 'z'] }, tag: 'x' })).toEqual([1, 2, 3, 5, 6]);
    expect(await found({ kind: 'z' })).toEqual([2, 5]);
    expect(await found({ tag: 'y' })).toEqual([3, 4]); // not a leading field: no index
  });

  it('updates and deletes only what the whole filter matches', async () => {
    const updated = await coll.updateMany({ tag: 'x', n: { $lt: 2 } }, { $set: { seen: true } });
    expect(updated.modifiedCount).toBe(1);
    expect(ids(await coll.find({ seen: true }).toArray())).toEqual(['a']);

    expect((await coll.updateOne({ _id: 'b', n: 99 }, { $set: { seen: true } })).matchedCount).toBe(
      0,
    );
    expect((await coll.updateOne({ _id: 'b', n: 2 }, { $set: { seen: true } })).matchedCount).toBe(
      1,
    );

    expect((await coll.deleteMany({ tag: 'x', seen: { $ne: true } })).deletedCount).toBe(0);
    expect((await coll.deleteOne({ _id: 'c', tag: 'x' })).deletedCount).toBe(0);
    expect((await coll.deleteOne({ _id: 'c' })).deletedCount).toBe(1);
    expect(await coll.countDocuments({})).toBe(docs.length - 1);
  });
});

describe('embedded database sorted finds with a limit keep MongoDB order', () => {
  const day = (d) => new Date(`2024-01-${String(d).padStart(2, '0')}T00:00:00Z`);
  const timeline = [
    { _id: 'd1', ws: 'w', at: day(1) },
    { _id: 'd2', ws: 'w', at: day(2) },
    { _id: 'd3', ws: 'w', at: day(3) },
    { _id: 'd4', ws: 'w', at: day(3) }, // a tie with d3
    { _id: 'd5', ws: 'w', at: day(5) },
    { _id: 'arr', ws: 'w', at: [new Date('2023-01-01'), new Date('2025-01-01')] }, // max / min sort key
    { _id: 'wsArr', ws: ['v', 'w'], at: new Date('2024-06-01') }, // matches, but not by equality
    { _id: 'num', ws: 'w', at: 5 },
    { _id: 'str', ws: 'w', at: 'zzz' },
    { _id: 'null', ws: 'w', at: null },
    { _id: 'missing', ws: 'w' },
    { _id: 'other', ws: 'v', at: new Date('2030-01-01') },
  ];
  const byIndex = () => coll.db.collection('timeline');
  const withoutIndex = () => coll.db.collection('timeline_plain');

  beforeAll(async () => {
    await byIndex().createIndex({ ws: 1, at: -1, _id: -1 });
    await byIndex().insertMany(timeline);
    await withoutIndex().insertMany(timeline);
  });

  const page = async (c, sort, limit, skip = 0) =>
    (await c.find({ ws: 'w' }).sort(sort).skip(skip).limit(limit).toArray()).map((d) => d._id);

  it.each([
    ['with an index', byIndex],
    ['without an index', withoutIndex],
  ])('returns the first documents by date, %s', async (_, c) => {
    const desc = { at: -1, _id: -1 };
    expect(await page(c(), desc, 3)).toEqual(['arr', 'wsArr', 'd5']);
    expect(await page(c(), desc, 4)).toEqual(['arr', 'wsArr', 'd5', 'd4']);
    expect(await page(c(), desc, 5)).toEqual(['arr', 'wsArr', 'd5', 'd4', 'd3']);
    expect(await page(c(), desc, 2, 2)).toEqual(['d5', 'd4']);
    expect(await page(c(), desc, 50)).toEqual([
      'arr',
      'wsArr',
      'd5',
      'd4',
      'd3',
      'd2',
      'd1',
      'str',
      'num',
      'null',
      'missing',
    ]);
    const asc = { at: 1, _id: 1 };
    expect(await page(c(), asc, 3)).toEqual(['missing', 'null', 'num']);
    expect(await page(c(), asc, 4)).toEqual(['missing', 'null', 'num', 'str']);
    expect(await page(c(), asc, 6)).toEqual(['missing', 'null', 'num', 'str', 'arr', 'd1']);
    expect(await page(c(), { at: 1 }, 2, 5)).toEqual(['d1', 'd2']);
  });

  it('keeps every document tied with the last one kept', async () => {
    const ties = coll.db.collection('ties');
    await ties.createIndex({ ws: 1, at: -1 });
    await ties.insertMany([
      { _id: 't1', ws: 'w', at: day(1) },
      { _id: 't2', ws: 'w', at: day(3) },
      { _id: 't3', ws: 'w', at: day(3) },
      { _id: 't4', ws: 'w', at: day(5) },
    ]);
    const first = async (sort, limit) =>
      (await ties.find({ ws: 'w' }).sort(sort).limit(limit).toArray()).map((d) => d._id);
    expect(await first({ at: -1, _id: -1 }, 2)).toEqual(['t4', 't3']);
    expect(await first({ at: -1, _id: 1 }, 2)).toEqual(['t4', 't2']);
    expect(await first({ at: 1, _id: -1 }, 2)).toEqual(['t1', 't3']);
  });

  it('orders dates of every era by their value', async () => {
    const eras = coll.db.collection('eras');
    await eras.createIndex({ ws: 1, at: -1 });
    await eras.insertMany([
      { _id: 'e1960', ws: 'w', at: new Date('1960-01-01') }, // negative milliseconds
      { _id: 'e1990', ws: 'w', at: new Date('1990-01-01') }, // 12 digits: sorts after 2024 as text
      { _id: 'a', ws: 'w', at: day(1) },
      { _id: 'b', ws: 'w', at: day(3) },
      { _id: 'c', ws: 'w', at: day(5) },
    ]);
    const first = async (dir, limit) =>
      (await eras.find({ ws: 'w' }).sort({ at: dir }).limit(limit).toArray()).map((d) => d._id);
    expect(await first(-1, 2)).toEqual(['c', 'b']);
    expect(await first(1, 2)).toEqual(['e1960', 'e1990']);
    await eras.insertOne({ _id: 'e2300', ws: 'w', at: new Date('2300-01-01') }); // 14 digits
    expect(await first(-1, 2)).toEqual(['e2300', 'c']);
    // Negative milliseconds of the same length sort as text in the reverse order.
    await eras.insertMany([
      { _id: 'e1941', ws: 'old', at: new Date('1941-07-01') },
      { _id: 'e1966', ws: 'old', at: new Date('1966-01-01') },
    ]);
    const old = await eras.find({ ws: 'old' }).sort({ at: -1 }).limit(2).toArray();
    expect(old.map((d) => d._id)).toEqual(['e1966', 'e1941']);
  });

  it('does not count a value of another type with the same text as a match', async () => {
    const typed = coll.db.collection('typed');
    await typed.createIndex({ ws: 1 });
    await typed.insertMany([
      { _id: 'o1', ws: new ObjectId(hex), at: new Date('2030-01-01') },
      { _id: 'o2', ws: new ObjectId(hex), at: new Date('2030-01-02') },
      { _id: 'o3', ws: new ObjectId(hex), at: new Date('2030-01-03') },
      { _id: 's1', ws: hex, at: day(1) },
      { _id: 's2', ws: hex, at: day(2) },
      { _id: 's3', ws: hex, at: day(3) },
    ]);
    const first = async (ws) =>
      (await typed.find({ ws }).sort({ at: -1 }).limit(2).toArray()).map((d) => d._id);
    expect(await first(hex)).toEqual(['s3', 's2']);
    expect(await first(new ObjectId(hex))).toEqual(['o3', 'o2']);
    expect(await first({ $in: [hex, 'nothing'] })).toEqual(['s3', 's2']);
  });
});

// The embedded FerretDB is built with Conecta's filter pushdown (_ferretdb/pushdown.go). These
// cases pin the MongoDB matching rules the pushdown must not break: it may only pre-select a
// superset of the matching documents, which FerretDB then filters exactly. Run against whatever
// server the test run uses (on MongoDB they simply hold).
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

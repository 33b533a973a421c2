'use strict';
// Prepares the FerretDB module the launcher is built against: the upstream module, copied from
// Go's module cache, with Conecta's filter pushdown (_ferretdb/pushdown.go) added to its SQLite
// backend, the two upstream `_id`-only pushdown blocks of sqlite/collection.go replaced by a
// call to it, and the `_id` expression made the one its index is built on. The build uses a copy of go.mod that replaces the module with this directory
// (`go build -modfile`), so the repository's go.mod stays plain. Each replacement must match
// exactly once: a FerretDB upgrade that moves the code fails the build loudly instead of silently
// losing the patch.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MODULE = 'github.com/FerretDB/FerretDB';
const PUSHDOWN = path.join(__dirname, '_ferretdb', 'pushdown.go');

const UPSTREAM_QUERY = `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
			whereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		}
	}
`;

const UPSTREAM_EXPLAIN = `	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
			filterPushdown = true
			whereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		}
	}
`;

// Upstream's _id expression is not the one its own _id index is built on (`->"_id"`, see
// metadata.Registry.indexesCreate), so SQLite never used that index: every update and delete by
// _id scanned the table.
const UPSTREAM_ID_COLUMN = `IDColumn = DefaultColumn + "->'$._id'"`;
const PATCHED_ID_COLUMN = `IDColumn = DefaultColumn + \`->"_id"\``;

const PATCHED_QUERY = `	whereClause, args = conectaWhereClause(params.Filter, meta)
`;

const PATCHED_EXPLAIN = `	whereClause, args = conectaWhereClause(params.Filter, meta)
	filterPushdown = whereClause != ""
`;

/** Replaces `from`, which must occur exactly once in `text`; `what` names it in the error. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`${what} is not found exactly once`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * Writes the patched module and a go.mod/go.sum pair that uses it into outDir; returns the path
 * of that go.mod, for `go build -modfile`.
 */
function preparePatchedFerret({ go, cwd, outDir, env }) {
  const info = JSON.parse(
    execFileSync(go, ['mod', 'download', '-json', MODULE], { cwd, env, encoding: 'utf8' }),
  );
  if (!info.Dir) throw new Error(`go mod download gave no directory for ${MODULE}`);
  const moduleDir = path.join(outDir, 'ferretdb');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.cpSync(info.Dir, moduleDir, { recursive: true });

  const pkgDir = path.join(moduleDir, 'internal', 'backends', 'sqlite');
  const collectionFile = path.join(pkgDir, 'collection.go');
  let source = fs.readFileSync(collectionFile, 'utf8');
  source = replaceOnce(
    source,
    UPSTREAM_QUERY,
    PATCHED_QUERY,
    'patched FerretDB: the upstream Query pushdown block',
  );
  source = replaceOnce(
    source,
    UPSTREAM_EXPLAIN,
    PATCHED_EXPLAIN,
    'patched FerretDB: the upstream Explain pushdown block',
  );
  // Files from the module cache are read-only.
  fs.rmSync(collectionFile, { force: true });
  fs.writeFileSync(collectionFile, source);
  fs.copyFileSync(PUSHDOWN, path.join(pkgDir, 'conecta_pushdown.go'));
  const metadataFile = path.join(pkgDir, 'metadata', 'metadata.go');
  const metadata = fs.readFileSync(metadataFile, 'utf8');
  fs.rmSync(metadataFile, { force: true });
  fs.writeFileSync(
    metadataFile,
    replaceOnce(
      metadata,
      UPSTREAM_ID_COLUMN,
      PATCHED_ID_COLUMN,
      'patched FerretDB: the upstream _id column block',
    ),
  );

  const goMod = path.join(outDir, 'go.mod');
  fs.writeFileSync(
    goMod,
    `${fs.readFileSync(path.join(cwd, 'go.mod'), 'utf8')}\nreplace ${MODULE} => ${moduleDir}\n`,
  );
  fs.copyFileSync(path.join(cwd, 'go.sum'), path.join(outDir, 'go.sum'));
  return goMod;
}

module.exports = { preparePatchedFerret, replaceOnce, PATCH_SOURCES: [__filename, PUSHDOWN] };

'use strict';
// Prepares the FerretDB module the launcher is built against: the upstream module, copied from
// Go's module cache, with Conecta's filter pushdown (_ferretdb/pushdown.go) added to its SQLite
// backend, the two upstream `_id`-only pushdown blocks of sqlite/collection.go replaced by a
// call to it, the `_id` expression made the one its index is built on, and the first-N hint of
// sorted finds (_ferretdb/topk.go) passed from the find handler to the backend. The build uses a
// copy of go.mod that replaces the module with this directory (`go build -modfile`), so the
// repository's go.mod stays plain. Each replacement must match exactly once: a FerretDB upgrade
// that moves the code fails the build loudly instead of silently losing the patch.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MODULE = 'github.com/FerretDB/FerretDB';
const PUSHDOWN = path.join(__dirname, '_ferretdb', 'pushdown.go');
const TOPK = path.join(__dirname, '_ferretdb', 'topk.go');

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

const PATCHED_QUERY = `	whereClause, args = conectaWhereClause(params.Filter, meta, params.ConectaTopK)
`;

const PATCHED_EXPLAIN = `	whereClause, args = conectaWhereClause(params.Filter, meta, nil)
	filterPushdown = whereClause != ""
`;

// The backend's query parameters carry the first-N hint (_ferretdb/topk.go)…
const UPSTREAM_QUERY_PARAMS = `	OnlyRecordIDs bool
	Comment       string
}
`;
const PATCHED_QUERY_PARAMS = `	OnlyRecordIDs bool
	Comment       string
	ConectaTopK   *ConectaTopK
}
`;

// …which the find handler sets for a sorted find with a limit, when no part of the filter was
// held back from the backend (dotted keys are, without nested pushdown).
const UPSTREAM_FIND_LIMIT = `	// Limit pushdown is not applied if:
`;
const PATCHED_FIND_LIMIT = `	if !h.DisablePushdown && params.Limit > 0 && params.Sort.Len() > 0 && qp.Filter.Len() == params.Filter.Len() {
		if field := params.Sort.Keys()[0]; field != "$natural" {
			if dir, ok := must.NotFail(params.Sort.Get(field)).(int64); ok {
				qp.ConectaTopK = &backends.ConectaTopK{Field: field, Desc: dir < 0, N: params.Skip + params.Limit}
			}
		}
	}

${UPSTREAM_FIND_LIMIT}`;

/** Replaces `from`, which must occur exactly once in `text`; `what` names it in the error. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`${what} is not found exactly once`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Applies [upstream, patched, name] replacements to a file copied from the module cache. */
function patchFile(file, replacements) {
  let source = fs.readFileSync(file, 'utf8');
  for (const [from, to, what] of replacements) {
    source = replaceOnce(source, from, to, `patched FerretDB: the upstream ${what} block`);
  }
  // Files from the module cache are read-only.
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, source);
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
  patchFile(path.join(pkgDir, 'collection.go'), [
    [UPSTREAM_QUERY, PATCHED_QUERY, 'Query pushdown'],
    [UPSTREAM_EXPLAIN, PATCHED_EXPLAIN, 'Explain pushdown'],
  ]);
  fs.copyFileSync(PUSHDOWN, path.join(pkgDir, 'conecta_pushdown.go'));
  patchFile(path.join(pkgDir, 'metadata', 'metadata.go'), [
    [UPSTREAM_ID_COLUMN, PATCHED_ID_COLUMN, '_id column'],
  ]);
  const backendsDir = path.join(moduleDir, 'internal', 'backends');
  patchFile(path.join(backendsDir, 'collection.go'), [
    [UPSTREAM_QUERY_PARAMS, PATCHED_QUERY_PARAMS, 'query parameters'],
  ]);
  fs.copyFileSync(TOPK, path.join(backendsDir, 'conecta_topk.go'));
  patchFile(path.join(moduleDir, 'internal', 'handler', 'msg_find.go'), [
    [UPSTREAM_FIND_LIMIT, PATCHED_FIND_LIMIT, 'find limit'],
  ]);

  const goMod = path.join(outDir, 'go.mod');
  fs.writeFileSync(
    goMod,
    `${fs.readFileSync(path.join(cwd, 'go.mod'), 'utf8')}\nreplace ${MODULE} => ${moduleDir}\n`,
  );
  fs.copyFileSync(path.join(cwd, 'go.sum'), path.join(outDir, 'go.sum'));
  return goMod;
}

module.exports = { preparePatchedFerret, replaceOnce, PATCH_SOURCES: [__filename, PUSHDOWN, TOPK] };

// Conecta's addition to FerretDB v1's SQLite backend (package internal/backends/sqlite), compiled
// into the embedded launcher from a patched copy of the module (see ../patched-ferretdb.js).
// Upstream pushes down only a filter that is exactly `{_id: <string or ObjectId>}`; every other
// query reads and decodes the whole collection in Go. This pushes down, as SQL conditions that
// use the collection's indexes, top-level equalities and `$in`s on plain field names with string
// or ObjectId values, whatever else the filter holds.
//
// The backend contract allows a filter to be "ignored, or safely applied partially or entirely":
// the handler applies the whole filter to every returned document again (FilterIterator,
// FilterDocument). So the conditions here only need to keep every document that can match — a
// superset — and they do:
//   - `_id` can never be an array, so `_id = value` is exact;
//   - another field matches `{f: v}` in MongoDB when it equals v or is an array holding v, so
//     every condition keeps the rows where f is an array (an array's JSON text is the only one
//     starting with `[`);
//   - values are pushed down only when their JSON text is unambiguous: ObjectIds (hex), and strings
//     of printable ASCII without characters that JSON encoders may escape differently.

package sqlite

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// conectaMaxIn is the largest `$in` list pushed down.
const conectaMaxIn = 200

var conectaPlainField = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// conectaPushdownValue returns the JSON text a pushable value has in stored documents.
func conectaPushdownValue(v any) (string, bool) {
	switch v := v.(type) {
	case types.ObjectID:
	case string:
		if len(v) > 1024 {
			return "", false
		}
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return "", false
			}
		}
	default:
		return "", false
	}

	b, err := sjson.MarshalSingleValue(v)
	if err != nil {
		return "", false
	}

	return string(b), true
}

// conectaFilterValues returns the values of an equality (`v`) or of a lone `{$in: [...]}`.
func conectaFilterValues(v any) ([]any, bool) {
	op, ok := v.(*types.Document)
	if !ok {
		return []any{v}, true
	}

	if op.Len() != 1 || op.Keys()[0] != "$in" {
		return nil, false
	}

	arr, ok := must.NotFail(op.Get("$in")).(*types.Array)
	if !ok || arr.Len() == 0 || arr.Len() > conectaMaxIn {
		return nil, false
	}

	values := make([]any, arr.Len())
	for i := range values {
		values[i] = must.NotFail(arr.Get(i))
	}

	return values, true
}

// conectaPushdownValues returns the stored JSON texts of an equality's or `$in`'s values, when
// every one is pushable.
func conectaPushdownValues(v any) ([]any, bool) {
	values, ok := conectaFilterValues(v)
	if !ok {
		return nil, false
	}

	texts := make([]any, len(values))

	for i, value := range values {
		s, ok := conectaPushdownValue(value)
		if !ok {
			return nil, false
		}

		texts[i] = s
	}

	return texts, true
}

// conectaExpr is a field's SQL expression, written exactly as the backend writes it in CREATE INDEX
// (metadata.Registry.indexesCreate), so that SQLite can use the index.
func conectaExpr(field string) string {
	return fmt.Sprintf("%s->%q", metadata.DefaultColumn, field)
}

// conectaIn is `expr IN (?, …)` for values, appending them to args.
func conectaIn(field string, values []any, args *[]any) string {
	*args = append(*args, values...)
	return fmt.Sprintf("%s IN (%s)", conectaExpr(field), strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", "))
}

// conectaIsArray is true for a field whose JSON text is an array: the only JSON text starting with `[`.
func conectaIsArray(field string) string {
	return fmt.Sprintf(`(%[1]s >= '[' AND %[1]s < '\')`, conectaExpr(field))
}

// conectaWhereClause returns the WHERE clause (with a leading space) and its arguments for the
// pushable parts of filter, or "" when there are none.
//
// With a pushable `_id`, that alone (exact, unique index). Otherwise the index whose leading fields
// cover the most pushable fields is chosen, and for its covered fields c1…ck the rows are
//
//	(c1 = v1 AND … AND ck = vk)
//	∪ (c1 is an array) ∪ (c1 = v1 AND c2 is an array) ∪ … ∪ (c1 = v1 AND … AND ck is an array)
//
// a superset of the rows where every ci equals vi or is an array, each part an index seek (SQLite
// cannot use a compound index, nor pick the selective one, when every field is an OR). Without
// such an index, every pushable field becomes `f = v OR f is an array`, which SQLite evaluates
// while scanning — still far cheaper than decoding every document in Go.
//
// With a first-N hint (topK), see conectaTopKClause.
func conectaWhereClause(filter *types.Document, meta *metadata.Collection, topK *backends.ConectaTopK) (string, []any) {
	if filter.Len() == 0 {
		return "", nil
	}

	keys := filter.Keys()
	values := make(map[string][]any, len(keys))
	seen := make(map[string]bool, len(keys))
	// Whether every condition of the filter is pushed down as an equality or $in.
	allPushed := true

	for _, k := range keys {
		if seen[k] {
			return "", nil // duplicate keys: leave the whole filter to the handler
		}

		seen[k] = true

		if !conectaPlainField.MatchString(k) || strings.HasPrefix(k, "_ferretdb") {
			allPushed = false
			continue
		}

		if v, ok := conectaPushdownValues(must.NotFail(filter.Get(k))); ok {
			values[k] = v
		} else {
			allPushed = false
		}
	}

	if len(values) == 0 {
		return "", nil
	}

	var args []any

	if id, ok := values["_id"]; ok {
		return " WHERE " + conectaIn("_id", id, &args), args
	}

	// The index with the most covered leading fields; on a tie, the one with the fewest fields left
	// over (a fully covered index is an exact lookup), then a unique one.
	var best []string
	bestRest, bestUnique := 0, false

	for _, index := range meta.Settings.Indexes {
		var covered []string

		for _, key := range index.Key {
			if _, ok := values[key.Field]; !ok {
				break
			}

			covered = append(covered, key.Field)
		}

		rest := len(index.Key) - len(covered)

		switch {
		case len(covered) == 0:
		case len(covered) > len(best),
			len(covered) == len(best) && rest < bestRest,
			len(covered) == len(best) && rest == bestRest && index.Unique && !bestUnique:
			best, bestRest, bestUnique = covered, rest, index.Unique
		}
	}

	var where string
	if len(best) == 0 {
		where = conectaScanClause(keys, values, &args)
	} else {
		where = conectaIndexClause(best, values, meta.TableName, &args)
	}

	if allPushed {
		where += conectaTopKClause(topK, filter, values, meta, &args)
	}

	return where, args
}

// conectaScanClause is `f = v OR f is an array` for every pushable field, without an index.
func conectaScanClause(keys []string, values map[string][]any, args *[]any) string {
	var conds []string

	for _, k := range keys {
		if v, ok := values[k]; ok {
			conds = append(conds, fmt.Sprintf("(%s OR %s)", conectaIn(k, v, args), conectaIsArray(k)))
		}
	}

	return " WHERE " + strings.Join(conds, " AND ")
}

// conectaIndexClause is the union of index seeks over the covered fields best (see conectaWhereClause).
func conectaIndexClause(best []string, values map[string][]any, table string, args *[]any) string {
	eqs := func(n int) []string {
		conds := make([]string, n)
		for i, field := range best[:n] {
			conds[i] = conectaIn(field, values[field], args)
		}

		return conds
	}

	parts := []string{fmt.Sprintf("SELECT rowid FROM %q WHERE %s", table, strings.Join(eqs(len(best)), " AND "))}

	for i, field := range best {
		conds := append(eqs(i), conectaIsArray(field))
		parts = append(parts, fmt.Sprintf("SELECT rowid FROM %q WHERE %s", table, strings.Join(conds, " AND ")))
	}

	return " WHERE rowid IN (" + strings.Join(parts, " UNION ") + ")"
}

// conectaTopKClause narrows a query whose whole filter is top-level equalities and `$in`s (all
// pushed down) when the handler will keep only the first N documents sorted by topK.Field, a date:
//
//	AND (f is not a date OR f >= t)    (<= t ascending)
//
// where t is the N-th largest (smallest) date f among the rows that certainly match: every filter
// field a scalar of the filter value's type equal to one of its values, a subset of the matches.
// If at least N matching documents have a date f >= t, no matching document with a smaller date
// can come among the first N, whatever the later sort keys; documents whose f is anything but a
// date (missing, null, another type, an array) are all kept, and so are ties (>=). With fewer than
// N such rows, t is NULL and nothing is left out. The handler still filters and sorts exactly.
// SQLite computes t once, from the equality rows (an index seek); it parses their JSON, but no
// document is decoded in Go.
//
// texts are the filter's pushed-down values (conectaPushdownValues) by field.
func conectaTopKClause(topK *backends.ConectaTopK, filter *types.Document, texts map[string][]any, meta *metadata.Collection, args *[]any) string {
	if topK == nil || topK.N <= 0 || topK.Field == "_id" || !conectaPlainField.MatchString(topK.Field) {
		return ""
	}

	var exact []string

	for _, k := range filter.Keys() {
		values, _ := conectaFilterValues(must.NotFail(filter.Get(k)))

		typ := ""
		for _, v := range values {
			t := sjson.GetTypeOfValue(v)
			if typ != "" && t != typ {
				return "" // mixed types in one $in: not worth it
			}

			typ = t
		}

		exact = append(exact, fmt.Sprintf("%s AND %s", conectaIn(k, texts[k], args), conectaTypeIs(k, typ)))
	}

	order, cmp := "ASC", "<="
	if topK.Desc {
		order, cmp = "DESC", ">="
	}

	value := fmt.Sprintf("%s->>'$.%s'", metadata.DefaultColumn, topK.Field)
	isDate := conectaTypeIs(topK.Field, "date")
	// The dates from 2001-09-09 to 2286-11-20 are the milliseconds of 13 digits, whose JSON texts
	// sort as the numbers do: ordered by the text, as an index on (filter fields…, f) holds it,
	// SQLite reads only the first rows instead of parsing every matching document. Leaving other
	// dates out of the rows t is taken from only makes t smaller or NULL: more rows are kept.
	text := conectaExpr(topK.Field)
	threshold := fmt.Sprintf(
		"SELECT CAST(%[1]s AS INTEGER) FROM %[2]q WHERE %[3]s AND %[4]s"+
			" AND %[1]s BETWEEN '1000000000000' AND '9999999999999' AND length(%[1]s) = 13"+
			" ORDER BY %[1]s %[5]s LIMIT 1 OFFSET %[6]d",
		text, meta.TableName, strings.Join(exact, " AND "), isDate, order, topK.N-1,
	)

	return fmt.Sprintf(" AND (NOT %s OR coalesce(%s %s (%s), 1))", isDate, value, cmp, threshold)
}

// conectaTypeIs is true when the top-level field's type in the document's schema is typ.
func conectaTypeIs(field, typ string) string {
	return fmt.Sprintf(`(%s->>'$."$s".p.%s.t' IS '%s')`, metadata.DefaultColumn, field, typ)
}

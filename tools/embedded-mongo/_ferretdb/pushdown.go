// Conecta's addition to FerretDB v1's SQLite backend (package internal/backends/sqlite), compiled
// into the embedded launcher with `go build -overlay` (see ../overlay.js). Upstream pushes down
// only a filter that is exactly `{_id: <string or ObjectId>}`; every other query reads and decodes
// the whole collection in Go. This pushes down, as SQL conditions that can use the collection's
// indexes, every top-level equality or `$in` on a plain field name with string or ObjectId
// values, whatever else the filter holds.
//
// The backend contract allows a filter to be "ignored, or safely applied partially or entirely":
// the handler applies the whole filter to every returned document again (FilterIterator,
// FilterDocument). So the conditions here only need to keep every document that can match — a
// superset — and they do:
//   - `_id` can never be an array, so `_id = value` is exact;
//   - another field matches `{f: v}` in MongoDB when it equals v or is an array holding v, so the
//     condition is `f = v OR f is an array` (an array's JSON text is the only one starting with `[`);
//   - values are pushed down only when their JSON text is unambiguous: ObjectIds (hex), and strings
//     of printable ASCII without characters that JSON encoders may escape differently.
// A field's SQL expression is written exactly as the backend writes it in CREATE INDEX
// (metadata.Registry.indexesCreate), so SQLite can use the index.

package sqlite

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
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

// conectaPushdownValues returns the values of an equality (`v`) or of a lone `{$in: [...]}`.
func conectaPushdownValues(v any) ([]any, bool) {
	op, ok := v.(*types.Document)
	if !ok {
		s, ok := conectaPushdownValue(v)
		return []any{s}, ok
	}

	if op.Len() != 1 || op.Keys()[0] != "$in" {
		return nil, false
	}

	arr, ok := conectaGet(op.Get("$in")).(*types.Array)
	if !ok || arr.Len() == 0 || arr.Len() > conectaMaxIn {
		return nil, false
	}

	values := make([]any, arr.Len())
	for i := 0; i < arr.Len(); i++ {
		s, ok := conectaPushdownValue(conectaGet(arr.Get(i)))
		if !ok {
			return nil, false
		}

		values[i] = s
	}

	return values, true
}

// conectaGet drops the error of a getter whose key or index is known to exist.
func conectaGet(v any, err error) any {
	if err != nil {
		return nil
	}

	return v
}

// conectaWhereClause returns the WHERE clause (with a leading space) and its arguments for the
// pushable parts of filter, or "" when there are none.
func conectaWhereClause(filter *types.Document) (string, []any) {
	if filter.Len() == 0 {
		return "", nil
	}

	keys := filter.Keys()
	seen := make(map[string]bool, len(keys))

	for _, k := range keys {
		if seen[k] {
			return "", nil // duplicate keys: leave the whole filter to the handler
		}

		seen[k] = true
	}

	var conds []string
	var args []any

	for _, k := range keys {
		if !conectaPlainField.MatchString(k) || strings.HasPrefix(k, "_ferretdb") {
			continue
		}

		values, ok := conectaPushdownValues(conectaGet(filter.Get(k)))
		if !ok {
			continue
		}

		placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")
		expr := fmt.Sprintf("%s->%q", metadata.DefaultColumn, k)

		if k == "_id" {
			// metadata.IDColumn, as patched to match the index.
			conds = append(conds, fmt.Sprintf(`%s IN (%s)`, expr, placeholders))
			args = append(args, values...)

			continue
		}

		conds = append(conds, fmt.Sprintf(`(%[1]s IN (%[2]s) OR (%[1]s >= '[' AND %[1]s < '\'))`, expr, placeholders))
		args = append(args, values...)
	}

	if len(conds) == 0 {
		return "", nil
	}

	return " WHERE " + strings.Join(conds, " AND "), args
}

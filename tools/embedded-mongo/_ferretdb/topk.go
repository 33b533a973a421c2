// Conecta's addition to FerretDB v1's backend contract (package internal/backends), compiled into
// the embedded launcher from a patched copy of the module (see ../patched-ferretdb.js).

package backends

// ConectaTopK tells a backend that the handler will sort the query's documents by Field first
// (descending when Desc) and keep only the first N (skip + limit). The backend may then leave out
// rows that certainly cannot be among those N; the handler still filters and sorts exactly what it
// gets. Set by the find handler only when the whole filter reached the backend.
type ConectaTopK struct {
	Field string
	Desc  bool
	N     int64
}

package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// store persists ops. Every mutating request writes its ops in one
// transaction before it answers, so an acknowledged change survives a crash.
type store interface {
	// write commits ops in one transaction.
	write(ops []op) error
	// replace drops everything and writes ops, in one transaction.
	replace(ops []op) error
	// load returns the stored ops in bucket order and, within a bucket, in
	// seq order; found is false for a store that was never written.
	load() (ops []op, found bool, err error)
	close() error
}

// memoryStore is the store of an emulator without a state file: the
// in-memory state is all there is.
type memoryStore struct{}

func (memoryStore) write([]op) error          { return nil }
func (memoryStore) replace([]op) error        { return nil }
func (memoryStore) load() ([]op, bool, error) { return nil, false, nil }
func (memoryStore) close() error              { return nil }

// boltStore keeps one bbolt bucket per kind, keyed by the object's id, so a
// request costs a write of the objects it touched, not of the whole state.
type boltStore struct {
	db *bolt.DB
}

var (
	metaBucket     = []byte("meta")
	initializedKey = []byte("initialized")
)

// record is a stored object: the value and its creation sequence number,
// which bbolt's key order cannot give.
type record struct {
	Seq  uint64          `json:"seq"`
	Data json.RawMessage `json:"data"`
}

func openBoltStore(path string) (*boltStore, error) {
	// A second emulator on the same file would wait forever for bbolt's
	// file lock; a timeout turns that into an error that says so.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("state file %s is in use by another process", path)
		}
		return nil, fmt.Errorf("opening state file %s: %w", path, err)
	}
	return &boltStore{db: db}, nil
}

func (s *boltStore) write(ops []op) error {
	return s.db.Update(func(tx *bolt.Tx) error { return writeOps(tx, ops) })
}

func (s *boltStore) replace(ops []op) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range append([]string{string(metaBucket)}, buckets...) {
			if err := tx.DeleteBucket([]byte(name)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
		}
		if err := writeOps(tx, ops); err != nil {
			return err
		}
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		return meta.Put(initializedKey, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

func writeOps(tx *bolt.Tx, ops []op) error {
	for _, o := range ops {
		b, err := tx.CreateBucketIfNotExists([]byte(o.bucket))
		if err != nil {
			return err
		}
		if o.value == nil {
			if err := b.Delete([]byte(o.key)); err != nil {
				return err
			}
			continue
		}
		data, err := json.Marshal(o.value)
		if err != nil {
			return fmt.Errorf("encoding %s %q: %w", o.bucket, o.key, err)
		}
		rec, err := json.Marshal(record{Seq: o.seq, Data: data})
		if err != nil {
			return err
		}
		if err := b.Put([]byte(o.key), rec); err != nil {
			return err
		}
	}
	return nil
}

func (s *boltStore) load() ([]op, bool, error) {
	var ops []op
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(metaBucket)
		if meta == nil || meta.Get(initializedKey) == nil {
			return nil
		}
		found = true
		for _, name := range buckets {
			b := tx.Bucket([]byte(name))
			if b == nil {
				continue
			}
			var kind []op
			err := b.ForEach(func(k, v []byte) error {
				var rec record
				if err := json.Unmarshal(v, &rec); err != nil {
					return fmt.Errorf("%s %q: %w", name, k, err)
				}
				value, err := decodeValue(name, rec.Data)
				if err != nil {
					return fmt.Errorf("%s %q: %w", name, k, err)
				}
				kind = append(kind, op{bucket: name, key: string(k), seq: rec.Seq, value: value})
				return nil
			})
			if err != nil {
				return err
			}
			sort.Slice(kind, func(i, j int) bool { return kind[i].seq < kind[j].seq })
			ops = append(ops, kind...)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("reading state file %s: %w", s.db.Path(), err)
	}
	return ops, found, nil
}

func (s *boltStore) close() error { return s.db.Close() }

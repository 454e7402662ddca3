package sqlstore

import (
	"context"

	"huying"
)

// LatestCatalogue returns the newest catalogue version.
func (db *DB) LatestCatalogue(ctx context.Context) (*huying.CatalogueVersion, error) {
	return db.latestCatalogue(db.reader(ctx))
}

// LatestCatalogue reads the newest catalogue version inside the transaction.
func (t *Tx) LatestCatalogue() (*huying.CatalogueVersion, error) {
	return t.db.latestCatalogue(t.runner)
}

func (db *DB) latestCatalogue(q runner) (*huying.CatalogueVersion, error) {
	var c huying.CatalogueVersion
	err := q.queryRow(`SELECT version, body, created_by, created_at FROM catalogues ORDER BY version DESC LIMIT 1`).
		Scan(&c.Version, &c.Body, &c.CreatedBy, &c.CreatedAt)
	if err != nil {
		return nil, db.err("派单目录", err)
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// PutCatalogue stores a new version.
func (t *Tx) PutCatalogue(c *huying.CatalogueVersion) error {
	_, err := t.exec(`INSERT INTO catalogues (version, body, created_by, created_at) VALUES (?,?,?,?)`,
		c.Version, c.Body, c.CreatedBy, c.CreatedAt.UTC())
	return t.db.err("派单目录", err)
}

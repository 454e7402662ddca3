package sqlstore

import (
	"context"

	"huying"
)

// LatestCatalogue returns the newest catalogue version.
func (db *DB) LatestCatalogue(ctx context.Context) (*huying.CatalogueVersion, error) {
	var c huying.CatalogueVersion
	err := db.reader(ctx).queryRow(`SELECT version, body, created_by, created_at FROM catalogues ORDER BY version DESC LIMIT 1`).
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

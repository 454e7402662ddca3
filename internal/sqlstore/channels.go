package sqlstore

import (
	"context"

	"huying"
)

// Channels lists the registry.
func (db *DB) Channels(ctx context.Context) ([]*huying.Channel, error) {
	rows, err := db.reader(ctx).query(`SELECT name, kind, rate_per_minute, default_type, default_urgency, publish, created_at
		FROM channels ORDER BY created_at, name`)
	if err != nil {
		return nil, db.err("渠道", err)
	}
	defer rows.Close()
	list := []*huying.Channel{}
	for rows.Next() {
		var c huying.Channel
		if err := rows.Scan(&c.Name, &c.Kind, &c.RatePerMinute, &c.DefaultType, &c.DefaultUrgency, &c.Publish, &c.CreatedAt); err != nil {
			return nil, db.err("渠道", err)
		}
		c.CreatedAt = c.CreatedAt.UTC()
		list = append(list, &c)
	}
	return list, db.err("渠道", rows.Err())
}

// PutChannel adds or replaces a channel.
func (t *Tx) PutChannel(c *huying.Channel) error {
	_, err := t.exec(`INSERT INTO channels (name, kind, rate_per_minute, default_type, default_urgency, publish, created_at)
		VALUES (?,?,?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, rate_per_minute = excluded.rate_per_minute,
		default_type = excluded.default_type, default_urgency = excluded.default_urgency, publish = excluded.publish`,
		c.Name, c.Kind, c.RatePerMinute, c.DefaultType, c.DefaultUrgency, c.Publish, c.CreatedAt.UTC())
	return t.db.err("渠道", err)
}

// ChannelStats counts appeals and duplicates per channel.
func (db *DB) ChannelStats(ctx context.Context) ([]huying.ChannelStat, error) {
	rows, err := db.reader(ctx).query(`SELECT channel, COUNT(*), SUM(CASE WHEN status = '` + string(huying.StatusMerged) + `' THEN 1 ELSE 0 END)
		FROM appeals GROUP BY channel ORDER BY COUNT(*) DESC, channel`)
	if err != nil {
		return nil, db.err("渠道统计", err)
	}
	defer rows.Close()
	list := []huying.ChannelStat{}
	total := 0
	for rows.Next() {
		var s huying.ChannelStat
		if err := rows.Scan(&s.Channel, &s.Appeals, &s.Duplicates); err != nil {
			return nil, db.err("渠道统计", err)
		}
		total += s.Appeals
		list = append(list, s)
	}
	for i := range list {
		list[i].Share = float64(list[i].Appeals) / float64(max(total, 1))
	}
	return list, db.err("渠道统计", rows.Err())
}

// ReporterStats tallies reports per reporter for the channels given.
func (db *DB) ReporterStats(ctx context.Context, channels []string) ([]huying.ReporterStat, error) {
	if len(channels) == 0 {
		return []huying.ReporterStat{}, nil
	}
	args := make([]any, len(channels))
	for i, c := range channels {
		args[i] = c
	}
	rows, err := db.reader(ctx).query(`SELECT u.id, u.username, u.name, u.unit_id, COUNT(*),
		SUM(CASE WHEN a.status IN `+statusSet(huying.StatusReceived, huying.StatusRefused, huying.StatusMerged)+` THEN 0 ELSE 1 END)
		FROM appeals a JOIN users u ON u.id = a.created_by
		WHERE a.channel IN (`+placeholders(len(args))+`) AND ',' || u.roles || ',' LIKE '%,`+string(huying.RoleReporter)+`,%'
		GROUP BY u.id, u.username, u.name, u.unit_id ORDER BY u.id`, args...)
	if err != nil {
		return nil, db.err("上报统计", err)
	}
	defer rows.Close()
	list := []huying.ReporterStat{}
	for rows.Next() {
		var s huying.ReporterStat
		if err := rows.Scan(&s.UserID, &s.Username, &s.Name, &s.UnitID, &s.Reports, &s.Confirmed); err != nil {
			return nil, db.err("上报统计", err)
		}
		s.Points = s.Confirmed * huying.PointsPerReport
		list = append(list, s)
	}
	return list, db.err("上报统计", rows.Err())
}

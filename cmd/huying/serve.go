package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"huying"
	"huying/api"
	"huying/audit"
	"huying/demo"
	"huying/inbox"
	"huying/internal/sqlstore"
	"huying/internal/startstop"
	"huying/knowledge"
	"huying/metrics"
	"huying/modelstore"
	"huying/notify"
	"huying/open311"
	"huying/ratelimit"
	"huying/server"
	"huying/sqlite"
	"huying/supervision"
	"huying/web"
	"huying/workflow"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	c := DefaultConfig()
	fs := cmdFlagSet("serve", stderr)
	c.dataFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "监听地址")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "日志级别 debug|info|warn|error")
	fs.BoolVar(&c.Demo, "demo", false, "数据库为空时写入坪山区演示数据")
	sweepEvery := fs.Duration("sweep-interval", 30*time.Second, "时限巡检间隔")
	retrainEvery := fs.Duration("retrain-every", 0, "按此间隔用基础训练集和分拨员确认的分类重新训练分类模型（如 168h，须同时给出 --retrain-base）；0 不自动训练")
	retrainBase := fs.String("retrain-base", "", "定时训练的基础训练集 CSV（如 teddy2020/train.csv），每次训练都包含它")
	retrainText := fs.String("retrain-text-column", "分词文本", "基础训练集的文本列")
	retrainLabel := fs.String("retrain-label-column", "一级标签", "基础训练集的标签列")
	secure := fs.Bool("secure-cookies", false, "会话 Cookie 只走 HTTPS（部署在 HTTPS 之后时打开）")
	allowDemoPasswords := fs.Bool("allow-demo-passwords", false, "不加 --demo 时也允许演示账号保留演示密码（仅供临时调试）")
	proxies := fs.String("trusted-proxies", "", "可信反向代理的地址或网段，逗号分隔（如 10.0.0.0/8）；只有来自它们的 X-Forwarded-For 才被采信")
	o := serveOptions{PublicURL: os.Getenv("HUYING_PUBLIC_URL"), MetricsToken: os.Getenv("HUYING_METRICS_TOKEN"), SMSSecret: os.Getenv("HUYING_SMS_SECRET")}
	fs.StringVar(&o.PublicURL, "public-url", o.PublicURL, "对外访问地址，如 https://12345.szpsq.gov.cn（Open311 discovery 的链接取自此处，环境变量 HUYING_PUBLIC_URL）；默认 http://监听地址")
	fs.StringVar(&o.MetricsToken, "metrics-token", o.MetricsToken, "/metrics 的 Bearer 令牌（环境变量 HUYING_METRICS_TOKEN）")
	fs.StringVar(&o.MetricsAllow, "metrics-allow", "127.0.0.0/8,::1", "无需令牌即可读取 /metrics 的地址或网段，逗号分隔")
	fs.StringVar(&o.SMS, "sms", "", "短信通道：log（写入数据目录的 sms.log，仅供开发，--demo 时默认）或 http（短信网关）；不加 --demo 时必须指定")
	fs.StringVar(&o.SMSURL, "sms-url", "", "短信网关地址（--sms http）")
	fs.StringVar(&o.SMSKeyID, "sms-key-id", "", "短信网关的密钥编号（--sms http）")
	fs.BoolVar(&o.AllowPrivateWebhooks, "allow-private-webhooks", false, "允许事件订阅推送到本机或内网地址")
	var ao auditOptions
	ao.flags(fs, true)
	if err := c.parseFlags(fs, args); err != nil {
		if isHelp(err) {
			return nil
		}
		return err
	}
	logger := c.logger(stderr)
	trusted, err := server.ParseProxies(*proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies：%w", err)
	}
	if err := o.check(c); err != nil {
		return err
	}
	if err := ao.check(); err != nil {
		return err
	}
	var rt *modelstore.Schedule
	if *retrainEvery > 0 {
		// Without the base corpus a retrained model learns only the few
		// classes and phrasings of local history: refuse at start.
		if *retrainBase == "" {
			return fmt.Errorf("--retrain-every 需要 --retrain-base：定时重新训练必须包含基础训练集")
		}
		rt = &modelstore.Schedule{Every: *retrainEvery, Base: *retrainBase, TextColumn: *retrainText, LabelColumn: *retrainLabel}
		if _, err := rt.ReadBase(); err != nil {
			return fmt.Errorf("--retrain-base：%w", err)
		}
	}
	store, svc, ids, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if !c.Demo && !*allowDemoPasswords {
		if err := checkDemoPasswords(ctx, ids); err != nil {
			return err
		}
	}
	if c.Demo {
		seeded, err := demo.SeedIfEmpty(ctx, svc, ids, c.Data, stderr)
		if err != nil {
			return fmt.Errorf("写入演示数据：%w", err)
		}
		if seeded {
			logger.Info("demo data seeded", slog.String("district", "坪山区"))
		}
	}
	// The background services run until they are stopped in order after
	// the HTTP server has drained (below), not when the signal comes; on an
	// early return they stop here, before the store closes.
	bg := context.WithoutCancel(ctx)
	var services startstop.Group
	defer services.Stop()
	start := func(s interface {
		Start(context.Context) error
		Stop()
	}) error {
		if err := s.Start(bg); err != nil {
			return err
		}
		services.Add(s)
		return nil
	}
	if rt != nil {
		live, _ := svc.Classifier.(*modelstore.Live)
		rt.DataDir, rt.History, rt.Live, rt.Logger = c.Data, svc, live, logger
		if err := start(rt); err != nil {
			return err
		}
	}
	if db, ok := store.(*sqlstore.DB); ok && db.Dialect.Name == "sqlite" {
		// Keep the WAL small: see sqlite.Checkpointer.
		if err := start(&sqlite.Checkpointer{DB: db, Logger: logger}); err != nil {
			return err
		}
	}
	sweeper := &workflow.Sweeper{Svc: svc, Interval: *sweepEvery, Logger: logger}
	if err := start(sweeper); err != nil {
		return err
	}
	if ao.Every > 0 {
		// The key is read (or made) only now that the data directory exists.
		key, source, err := ao.key(c, true)
		if err != nil {
			return err
		}
		svc.AuditKey = key
		if err := start(&audit.Checkpointer{Store: store, Key: key, Interval: ao.Every, Log: ao.Log, Logger: logger}); err != nil {
			return err
		}
		logger.Info("audit checkpoints", slog.String("key", source), slog.Duration("every", ao.Every), slog.String("log", ao.Log))
	}
	svc.AllowPrivateWebhooks = o.AllowPrivateWebhooks
	dispatcher := &notify.Dispatcher{Store: store, Logger: logger, Drivers: map[string]notify.Driver{
		huying.NoticeSMS:     o.smsDriver(c),
		huying.NoticeWebhook: &notify.Webhooks{Store: store, AllowPrivate: o.AllowPrivateWebhooks, Logger: logger},
	}}
	if err := start(dispatcher); err != nil {
		return err
	}
	scrape := &metrics.Metrics{Src: metrics.Source{Store: store, LastSweep: sweeper.LastDuration}, Token: o.MetricsToken,
		Allow: o.metricsAllow, Logger: logger}
	if err := start(scrape); err != nil {
		return err
	}
	notices := inbox.New(store, logger)
	if err := start(notices.Hub); err != nil {
		return err
	}
	srv := server.New(server.Config{
		Addr:    c.Addr,
		API:     api.New(api.Services{Appeals: svc, Identity: ids, Supervision: supervision.New(svc), Knowledge: knowledge.New(svc.Store), Inbox: notices}, c.blobs(), logger, api.Options{SecureCookies: *secure}),
		Console: web.Handler(),
		Extra: map[string]http.Handler{
			"GET /metrics": scrape,
			// Open311 is public: 120 requests a minute per IP, refused in the spec's error shape.
			open311.Prefix: ratelimit.PerIP(120, ratelimit.New(nil), open311TooMany, open311.New(open311.Config{Service: svc, Auth: ids, Logger: logger, BaseURL: o.publicURL(c),
				Catalogue: &open311.FromDispatch{Base: open311.DefaultCatalogue().(*open311.Static), Load: svc.Catalogue}})),
		},
		Ready:          store.Ping,
		Logger:         logger,
		TrustedProxies: trusted,
		OnShutdown:     []func(){notices.Hub.Close},
	})
	if err := srv.Start(); err != nil {
		return fmt.Errorf("监听 %s：%w", c.Addr, err)
	}
	db := "sqlite:" + c.Data
	if c.DB != "" {
		db = "postgres"
	}
	logger.Info("huying serving", slog.String("addr", "http://"+srv.Addr()), slog.String("db", db), slog.String("version", version))
	<-ctx.Done()
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Order: stop taking requests and finish those in flight, then stop the
	// background services, the last started first (the live stream's hub,
	// metrics, the notice dispatcher, the audit checkpoints, the sweeper, the WAL checkpoints,
	// the retrain), then close the database (deferred).
	err = srv.Shutdown(shutdown)
	services.Stop()
	return err
}

// open311TooMany answers a rate-limited Open311 request with a
// GeoReport-shaped error list.
func open311TooMany(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, ".xml") {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?><errors><error><code>429</code><description>请求过于频繁，请一分钟后再试</description></error></errors>`))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(`[{"code":429,"description":"请求过于频繁，请一分钟后再试"}]`))
}

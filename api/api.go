// Package api is Huying's JSON API under /api/v1, the one the console and
// integrations use, described by openapi.yaml (served at
// /api/v1/openapi.yaml). Handlers decode, validate, call the workflow and
// respond; writeError is the only place that turns an error code into an
// HTTP status.
package api

import (
	_ "embed"
	"fmt"
	"log/slog"
	"net/http"

	"huying/blob"
	"huying/identity"
	"huying/inbox"
	"huying/knowledge"
	"huying/ratelimit"
	"huying/supervision"
	"huying/transfer"
	"huying/workflow"
)

//go:embed openapi.yaml
var openapi []byte

// SessionCookie is the name of the console's session cookie.
const SessionCookie = "huying_session"

type handler struct {
	svc    *workflow.Service
	ids    *identity.Service
	tr     *transfer.Service
	sup    *supervision.Service
	kb     *knowledge.Service
	inbox  *inbox.Service
	blobs  *blob.Store
	logger *slog.Logger
	// limits counts public requests per IP and token requests per channel.
	limits     *ratelimit.Window
	publicRate int
	loginRate  int
	// secure marks the session cookie Secure (behind HTTPS).
	secure bool
}

// Options configure the API.
type Options struct {
	// SecureCookies sets the Secure flag on the session cookie.
	SecureCookies bool
	// PublicRate is how many public (no login) requests one IP may make per minute.
	PublicRate int
	// LoginRate is how many login attempts (staff and resident) one IP may
	// make per minute, counted apart from PublicRate.
	LoginRate int
}

// Default per-IP limits a minute.
const (
	DefaultPublicRate = 60
	DefaultLoginRate  = 20
)

// Services are the services the API serves.
type Services struct {
	Appeals     *workflow.Service
	Identity    *identity.Service
	Supervision *supervision.Service
	Knowledge   *knowledge.Service
	Inbox       *inbox.Service
}

// New returns the API handler on the services; mount it at /api/v1/.
func New(s Services, blobs *blob.Store, logger *slog.Logger, opts Options) http.Handler {
	svc := s.Appeals
	if opts.PublicRate <= 0 {
		opts.PublicRate = DefaultPublicRate
	}
	if opts.LoginRate <= 0 {
		opts.LoginRate = DefaultLoginRate
	}
	h := &handler{svc: svc, ids: s.Identity, sup: s.Supervision, kb: s.Knowledge, inbox: s.Inbox, blobs: blobs, logger: logger, limits: ratelimit.New(svc.Now), publicRate: opts.PublicRate,
		loginRate: opts.LoginRate, secure: opts.SecureCookies}
	h.tr = transfer.New(svc)
	return h.routes()
}

func (h *handler) routes() http.Handler {
	mux := http.NewServeMux()
	// Public: no login.
	mux.HandleFunc("GET /api/v1/openapi.yaml", h.openAPI)
	mux.HandleFunc("GET /api/v1/meta", h.meta)
	mux.HandleFunc("GET /api/v1/geo", h.geo)
	mux.HandleFunc("POST /api/v1/auth/login", h.loginLimited(h.login))
	mux.HandleFunc("GET /api/v1/track", h.public(h.track))
	mux.HandleFunc("POST /api/v1/track/rate", h.public(h.trackRate))
	mux.HandleFunc("GET /api/v1/public/flags", h.public(h.publicFlags))
	mux.HandleFunc("POST /api/v1/resident/code", h.public(h.residentCode))
	mux.HandleFunc("GET /api/v1/public/channels/{name}/appeals", h.public(h.onAir))
	mux.HandleFunc("POST /api/v1/resident/login", h.loginLimited(h.residentLogin))
	// Logged in (session cookie or bearer token).
	mux.HandleFunc("POST /api/v1/auth/logout", h.auth(h.logout))
	mux.HandleFunc("GET /api/v1/me", h.auth(h.me))
	mux.HandleFunc("GET /api/v1/units", h.auth(h.units))
	mux.HandleFunc("POST /api/v1/units", h.auth(h.createUnit))
	mux.HandleFunc("PATCH /api/v1/units/{unit}", h.auth(h.updateUnit))
	mux.HandleFunc("POST /api/v1/units/{unit}/disable", h.auth(h.setUnitDisabled(true)))
	mux.HandleFunc("POST /api/v1/units/{unit}/enable", h.auth(h.setUnitDisabled(false)))
	mux.HandleFunc("GET /api/v1/sla/versions", h.auth(h.listSLAVersions))
	mux.HandleFunc("POST /api/v1/sla/versions", h.auth(h.createSLAVersion))
	mux.HandleFunc("GET /api/v1/calendar", h.auth(h.calendarYears))
	mux.HandleFunc("GET /api/v1/calendar/{year}", h.auth(h.calendarYear))
	mux.HandleFunc("POST /api/v1/calendar/import", h.auth(h.importCalendar))
	mux.HandleFunc("GET /api/v1/users", h.auth(h.users))
	mux.HandleFunc("POST /api/v1/users", h.auth(h.createUser))
	mux.HandleFunc("POST /api/v1/me/password", h.auth(h.changePassword))
	mux.HandleFunc("GET /api/v1/me/colleagues", h.auth(h.colleagues))
	mux.HandleFunc("PATCH /api/v1/users/{uid}", h.auth(h.updateUser))
	mux.HandleFunc("POST /api/v1/users/{uid}/password", h.auth(h.resetPassword))
	mux.HandleFunc("POST /api/v1/users/{uid}/disable", h.auth(h.setDisabled(true)))
	mux.HandleFunc("POST /api/v1/users/{uid}/enable", h.auth(h.setDisabled(false)))
	mux.HandleFunc("GET /api/v1/tokens", h.auth(h.listTokens))
	mux.HandleFunc("POST /api/v1/tokens", h.auth(h.createToken))
	mux.HandleFunc("DELETE /api/v1/tokens/{tid}", h.auth(h.revokeToken))
	mux.HandleFunc("GET /api/v1/webhooks", h.auth(h.listWebhooks))
	mux.HandleFunc("POST /api/v1/webhooks", h.auth(h.createWebhook))
	mux.HandleFunc("POST /api/v1/webhooks/{wid}/disable", h.auth(h.setWebhookDisabled(true)))
	mux.HandleFunc("POST /api/v1/webhooks/{wid}/enable", h.auth(h.setWebhookDisabled(false)))
	mux.HandleFunc("DELETE /api/v1/webhooks/{wid}", h.auth(h.deleteWebhook))
	mux.HandleFunc("GET /api/v1/channels", h.auth(h.listChannels))
	mux.HandleFunc("PUT /api/v1/channels/{name}", h.auth(h.saveChannel))
	mux.HandleFunc("GET /api/v1/channels/stats", h.auth(h.channelStats))
	mux.HandleFunc("GET /api/v1/channels/stats/export", h.auth(h.exportList("渠道统计", h.exportChannelStats)))
	mux.HandleFunc("GET /api/v1/reporters/points", h.auth(h.reporterPoints))
	mux.HandleFunc("POST /api/v1/attachments", h.auth(h.upload))
	mux.HandleFunc("GET /api/v1/attachments/{hash}", h.auth(h.download))
	mux.HandleFunc("POST /api/v1/appeals", h.auth(h.receive))
	mux.HandleFunc("GET /api/v1/appeals", h.auth(h.listAppeals))
	mux.HandleFunc("GET /api/v1/appeals/export", h.auth(h.exportAppeals))
	mux.HandleFunc("POST /api/v1/imports/appeals", h.auth(h.importAppeals))
	mux.HandleFunc("GET /api/v1/appeals/{id}", h.auth(h.getAppeal))
	mux.HandleFunc("GET /api/v1/appeals/{id}/events", h.auth(h.appealEvents))
	mux.HandleFunc("POST /api/v1/appeals/{id}/contact/reveal", h.auth(h.appealContact))
	mux.HandleFunc("POST /api/v1/appeals/{id}/split", h.auth(h.split))
	mux.HandleFunc("POST /api/v1/appeals/{id}/{command}", h.auth(h.act))
	mux.HandleFunc("PUT /api/v1/appeals/{id}/on-air", h.auth(h.setOnAir))
	mux.HandleFunc("POST /api/v1/batch/{command}", h.auth(h.actBatch))
	mux.HandleFunc("GET /api/v1/appeals/{id}/deadlines", h.auth(h.appealDeadlines))
	mux.HandleFunc("GET /api/v1/stats", h.auth(h.stats))
	mux.HandleFunc("GET /api/v1/board", h.auth(h.board))
	mux.HandleFunc("GET /api/v1/catalogue", h.auth(h.getCatalogue))
	mux.HandleFunc("PUT /api/v1/catalogue", h.auth(h.putCatalogue))
	mux.HandleFunc("GET /api/v1/appeals/{id}/suggestions", h.auth(h.suggestions))
	mux.HandleFunc("GET /api/v1/appeals/{id}/track", h.auth(h.myTrack))
	mux.HandleFunc("POST /api/v1/appeals/{id}/supplements", h.auth(h.supplement))
	mux.HandleFunc("POST /api/v1/appeals/{id}/subscriptions", h.auth(h.subscribe))
	mux.HandleFunc("POST /api/v1/appeals/{id}/flags", h.auth(h.createFlag))
	mux.HandleFunc("POST /api/v1/appeals/{id}/urges", h.auth(h.noteAction(h.appealID, h.sup.Urge)))
	mux.HandleFunc("GET /api/v1/flags", h.auth(h.listFlags))
	mux.HandleFunc("GET /api/v1/flags/export", h.auth(h.exportList("挂牌督办", h.exportFlags)))
	mux.HandleFunc("POST /api/v1/flags/{fid}/progress", h.auth(h.noteAction(flagID, h.sup.FlagProgress)))
	mux.HandleFunc("POST /api/v1/flags/{fid}/close", h.auth(h.noteAction(flagID, h.sup.CloseFlag)))
	mux.HandleFunc("POST /api/v1/appeals/{id}/whistles", h.auth(h.blow))
	mux.HandleFunc("GET /api/v1/appeals/{id}/whistles", h.auth(h.appealWhistles))
	mux.HandleFunc("POST /api/v1/whistles/{wid}/report-in", h.auth(h.reportIn))
	mux.HandleFunc("POST /api/v1/whistles/{wid}/ratings", h.auth(h.rateCall))
	mux.HandleFunc("GET /api/v1/whistles/stats", h.auth(h.whistleStats))
	mux.HandleFunc("GET /api/v1/whistles/stats/export", h.auth(h.exportList("吹哨报到", h.exportWhistleStats)))
	mux.HandleFunc("GET /api/v1/audit/verify", h.auth(h.auditVerify))
	mux.HandleFunc("GET /api/v1/notifications", h.auth(h.listNotices))
	mux.HandleFunc("POST /api/v1/notifications/read", h.auth(h.readNotices))
	mux.HandleFunc("GET /api/v1/stream", h.auth(h.stream))
	mux.HandleFunc("GET /api/v1/knowledge", h.auth(h.listArticles))
	mux.HandleFunc("POST /api/v1/knowledge", h.auth(h.createArticle))
	mux.HandleFunc("GET /api/v1/knowledge/suggest", h.auth(h.suggestArticles))
	mux.HandleFunc("PUT /api/v1/knowledge/{aid}", h.auth(h.updateArticle))
	return h.checkURL(h.unmatched(mux))
}

// unmatched answers requests no route matches in JSON, like every other
// error: 404 for an unknown path, 405 with the Allow header the mux sets
// for a known path asked with another method.
func (h *handler) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		iw := &interceptWriter{ResponseWriter: w}
		mux.ServeHTTP(iw, r)
		switch iw.status {
		case http.StatusNotFound:
			h.notFound(w, r)
		case http.StatusMethodNotAllowed:
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Code: "EMETHOD",
				Message: fmt.Sprintf("%s 不支持 %s 方法（可用：%s）", r.URL.Path, r.Method, w.Header().Get("Allow"))})
		}
	})
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, errorBody{Code: "ENOTFOUND", Message: "接口不存在：" + r.Method + " " + r.URL.Path})
}

// interceptWriter holds back a 404 or 405 answer of the mux (plain text)
// so that unmatched can answer in JSON; any other answer (a redirect to the
// clean path) goes through.
type interceptWriter struct {
	http.ResponseWriter
	status int
}

func (w *interceptWriter) WriteHeader(code int) {
	if code == http.StatusNotFound || code == http.StatusMethodNotAllowed {
		w.status = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *interceptWriter) Write(b []byte) (int, error) {
	if w.status != 0 {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (h *handler) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(openapi)
}

package open311

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"huying"
	"huying/sla"
	"huying/workflow"
)

// Prefix is where the interface is mounted.
const Prefix = "/georeport/v2/"

// Specification is the discovery name of GeoReport v2, which clients match.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// Config configures the interface. Only Service is required.
type Config struct {
	// Service is the lifecycle service: Receive files requests, its public
	// view serves the reads.
	Service *workflow.Service
	// Auth checks api_key (an identity.Service).
	Auth huying.Authenticator
	// Catalogue gives the services; default DefaultCatalogue().
	Catalogue Catalogue
	// Jurisdiction is the one jurisdiction_id served (the spec suggests the
	// jurisdiction's web domain). Requests without one are served; requests
	// naming another get 404. Default "szpsq.gov.cn" (坪山区).
	Jurisdiction string
	// Channel is the channel requests are filed under and the one whose
	// appeals GET shows. Default "Open311", one of huying.Channels.
	Channel string
	// BaseURL is the public scheme and host, such as
	// https://12345.szpsq.gov.cn, for discovery's endpoint url (serve's
	// --public-url). Never taken from the request's Host header, which any
	// client sets; default http://localhost.
	BaseURL string
	// EndpointType is discovery's endpoint type: "production" (default) or "test".
	EndpointType string
	// Contact and KeyService are discovery's contact and key_service texts.
	Contact    string
	KeyService string
	// Logger logs internal errors; default slog.Default().
	Logger *slog.Logger
}

type handler struct {
	cfg    Config
	svc    *workflow.Service
	reader *publicReader
	zone   *time.Location
	logger *slog.Logger
}

// New returns the Open311 GeoReport v2 handler; mount it at Prefix. It
// panics if c.Service is nil or a Static catalogue is invalid, both
// programming errors caught at start.
func New(c Config) http.Handler {
	if c.Service == nil {
		panic("open311: Config.Service is nil")
	}
	c.Catalogue = cmp.Or[Catalogue](c.Catalogue, DefaultCatalogue())
	if s, ok := c.Catalogue.(*Static); ok {
		if err := (*ServiceList)(s).Validate(); err != nil {
			panic("open311: " + err.Error())
		}
	}
	c.Jurisdiction = cmp.Or(c.Jurisdiction, "szpsq.gov.cn")
	c.Channel = cmp.Or(c.Channel, "Open311")
	c.EndpointType = cmp.Or(c.EndpointType, "production")
	c.Contact = cmp.Or(c.Contact, "坪山区民生诉求分拨中心，电话 12345")
	c.KeyService = cmp.Or(c.KeyService, "向区民生诉求分拨中心申请渠道接口令牌（管理员以 huying token 命令签发），作为 api_key 使用")
	c.Logger = cmp.Or(c.Logger, slog.Default())
	if c.Service == nil || c.Auth == nil {
		panic("open311.New: Config.Service and Config.Auth are required")
	}
	zone := c.Service.Zone
	if zone == nil {
		zone = time.UTC
	}
	h := &handler{cfg: c, svc: c.Service, zone: zone, logger: c.Logger,
		reader: newPublicReader(c.Service, c.Channel)}
	return h.routes()
}

// endpoint handles one resource in format f; a returned error becomes a
// spec-shaped error response in the same format.
type endpoint func(w http.ResponseWriter, r *http.Request, f format) error

// fileEndpoint is an endpoint whose last path segment is "{id}.{format}".
type fileEndpoint func(w http.ResponseWriter, r *http.Request, f format, id string) error

func (h *handler) routes() http.Handler {
	mux := http.NewServeMux()
	for _, ext := range []string{"json", "xml"} {
		f, _ := parseFormat(ext)
		mux.HandleFunc("GET "+Prefix+"discovery."+ext, h.serve(f, h.discovery))
		mux.HandleFunc("GET "+Prefix+"services."+ext, h.serve(f, h.services))
		mux.HandleFunc("GET "+Prefix+"requests."+ext, h.serve(f, h.requests))
		mux.HandleFunc("POST "+Prefix+"requests."+ext, h.serve(f, h.postRequest))
		mux.HandleFunc("GET "+Prefix+"servicerequestupdates."+ext, h.serve(f, h.updates))
		mux.HandleFunc("POST "+Prefix+"servicerequestupdates."+ext, h.serve(f, h.postUpdate))
	}
	mux.HandleFunc("GET "+Prefix+"services/{file}", h.serveFile(h.definition))
	mux.HandleFunc("GET "+Prefix+"requests/{file}", h.serveFile(h.request))
	mux.HandleFunc("GET "+Prefix+"tokens/{file}", h.serveFile(h.token))
	mux.HandleFunc(Prefix, h.notFound)
	return mux
}

func (h *handler) serve(f format, fn endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkURL(r.URL.Path, r.URL.RawQuery); err != nil {
			h.writeError(w, r, f, err)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			// Public data: browser apps on other sites may read it.
			w.Header().Set("Access-Control-Allow-Origin", "*")
			if err := h.checkJurisdiction(r.URL.Query().Get("jurisdiction_id")); err != nil {
				h.writeError(w, r, f, err)
				return
			}
		}
		if err := fn(w, r, f); err != nil {
			h.writeError(w, r, f, err)
		}
	}
}

func (h *handler) serveFile(fn fileEndpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ext := splitExt(r.PathValue("file"))
		f, ok := parseFormat(ext)
		if !ok || id == "" {
			h.writeError(w, r, f, fail(http.StatusNotFound, CodeNotFound, "资源须以 .json 或 .xml 结尾"))
			return
		}
		h.serve(f, func(w http.ResponseWriter, r *http.Request, f format) error { return fn(w, r, f, id) })(w, r)
	}
}

// splitExt cuts "PS2026…0001.json" at its last dot.
func splitExt(file string) (id, ext string) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, ""
	}
	return file[:i], file[i+1:]
}

// notFound answers every other path under Prefix, and a wrong method on a
// known one, with a spec-shaped error (the mux's own answers are plain text).
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	name, ext := splitExt(rest)
	f, _ := parseFormat(ext)
	known := map[string]string{"discovery": "GET", "services": "GET", "requests": "GET, POST", "servicerequestupdates": "GET, POST"}
	if allow, ok := known[name]; ok && ext != "" {
		if _, okf := parseFormat(ext); okf {
			w.Header().Set("Allow", allow)
			h.writeError(w, r, f, fail(http.StatusMethodNotAllowed, CodeMethod, "%s 只支持 %s", rest, allow))
			return
		}
	}
	if dir, _, ok := strings.Cut(rest, "/"); ok && (dir == "services" || dir == "requests" || dir == "tokens") && r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET")
		h.writeError(w, r, f, fail(http.StatusMethodNotAllowed, CodeMethod, "%s 只支持 GET", rest))
		return
	}
	h.writeError(w, r, f, fail(http.StatusNotFound, CodeNotFound, "没有这个资源：%s（见 %sdiscovery.json）", r.URL.Path, Prefix))
}

// retryAfter is the Retry-After, in seconds, of a 503 (as the JSON API's).
const retryAfter = "30"

func (h *handler) writeError(w http.ResponseWriter, r *http.Request, f format, err error) {
	fl := toFailure(h.logger, r, err)
	if fl.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	write(w, f, fl.status, "errors", errorList(fl.errs))
}

// checkJurisdiction accepts no jurisdiction_id (one jurisdiction is served)
// or ours; any other is not found, as the spec says.
func (h *handler) checkJurisdiction(id string) error {
	if id = strings.TrimSpace(id); id != "" && !strings.EqualFold(id, h.cfg.Jurisdiction) {
		return fail(http.StatusNotFound, CodeNotFound, "jurisdiction_id %q 不存在，本接口服务 %s", id, h.cfg.Jurisdiction)
	}
	return nil
}

// postForm reads a POST's form, checks its jurisdiction_id and
// authenticates its api_key: the start of every POST.
func (h *handler) postForm(w http.ResponseWriter, r *http.Request) (*form, huying.Actor, error) {
	fm, err := readForm(w, r)
	if err != nil {
		return nil, huying.Actor{}, err
	}
	if err := h.checkJurisdiction(fm.get("jurisdiction_id")); err != nil {
		return nil, huying.Actor{}, err
	}
	actor, err := h.authenticate(r.Context(), fm.get("api_key"))
	return fm, actor, err
}

// authenticate checks api_key: a Huying API token from the channel
// registry (huying token create). Missing or wrong keys are 403.
func (h *handler) authenticate(ctx context.Context, key string) (huying.Actor, error) {
	if key == "" {
		return huying.Actor{}, fail(http.StatusForbidden, CodeForbidden, "api_key 必填：%s", h.cfg.KeyService)
	}
	actor, err := h.cfg.Auth.AuthenticateToken(ctx, key)
	if err != nil {
		if huying.ErrorCode(err) == huying.EUNAUTHORIZED {
			return huying.Actor{}, fail(http.StatusForbidden, CodeForbidden, "api_key 无效")
		}
		return huying.Actor{}, err
	}
	if !actor.Token.Allows(huying.ScopeOpen311) {
		return huying.Actor{}, fail(http.StatusForbidden, CodeForbidden, "api_key 没有 Open311 接口权限，请管理员签发带 open311 权限的令牌")
	}
	return actor, nil
}

func (h *handler) catalogue(ctx context.Context) (*ServiceList, error) {
	l, err := h.cfg.Catalogue.ServiceList(ctx)
	if err != nil {
		return nil, fmt.Errorf("open311 catalogue: %w", err)
	}
	return l, nil
}

func (h *handler) baseURL(*http.Request) string {
	return strings.TrimRight(cmp.Or(h.cfg.BaseURL, "http://localhost"), "/")
}

func (h *handler) discovery(w http.ResponseWriter, r *http.Request, f format) error {
	l, err := h.catalogue(r.Context())
	if err != nil {
		return err
	}
	changeset := timeString(l.Changeset, h.zone)
	write(w, f, http.StatusOK, "discovery", object{
		{"changeset", changeset},
		{"contact", h.cfg.Contact},
		{"key_service", h.cfg.KeyService},
		{"endpoints", list{item: "endpoint", items: []any{object{
			{"specification", Specification},
			{"url", h.baseURL(r) + strings.TrimSuffix(Prefix, "/")},
			{"changeset", changeset},
			{"type", h.cfg.EndpointType},
			{"formats", list{item: "format", items: []any{"text/xml", "application/json"}}},
		}}}},
	})
	return nil
}

func (h *handler) services(w http.ResponseWriter, r *http.Request, f format) error {
	l, err := h.catalogue(r.Context())
	if err != nil {
		return err
	}
	out := list{item: "service"}
	for _, s := range l.Services {
		out.items = append(out.items, object{
			{"service_code", s.Code},
			{"service_name", s.Name},
			{"description", optional(s.Description)},
			{"metadata", s.Metadata()},
			{"type", s.Type},
			{"keywords", optional(strings.Join(s.Keywords, ","))},
			{"group", optional(s.Group)},
		})
	}
	write(w, f, http.StatusOK, "services", out)
	return nil
}

func (h *handler) definition(w http.ResponseWriter, r *http.Request, f format, code string) error {
	l, err := h.catalogue(r.Context())
	if err != nil {
		return err
	}
	s := l.Service(code)
	if s == nil {
		return fail(http.StatusNotFound, CodeNotFound, "service_code %q 不存在", code)
	}
	attrs := list{item: "attribute"}
	for _, a := range s.Attributes {
		values := list{item: "value"}
		for _, v := range a.Values {
			values.items = append(values.items, object{{"key", v.Key}, {"name", v.Name}})
		}
		attrs.items = append(attrs.items, object{
			{"variable", a.Variable},
			{"code", a.Code},
			{"datatype", a.Datatype},
			{"required", a.Required},
			{"datatype_description", optional(a.DatatypeDescription)},
			{"order", a.Order},
			{"description", optional(a.Description)},
			{"values", values},
		})
	}
	write(w, f, http.StatusOK, "service_definition", object{{"service_code", s.Code}, {"attributes", attrs}})
	return nil
}

// notice is the service_notice of s: its own, or the close limit of the
// installation's SLA table for its appeal type, so that the notice promises
// what the deadlines enforce.
func (h *handler) notice(s *Service) string {
	if s.Notice != "" {
		return s.Notice
	}
	generic := "诉求受理后由区民生诉求分拨中心派单办理，可凭诉求编号查询进度。"
	table := cmp.Or(h.svc.SLA, sla.Default())
	p, err := table.Profile(sla.Key{Type: string(s.AppealType), Urgency: string(huying.UrgencyNormal)})
	if err != nil {
		return generic
	}
	l, ok := p.Limits[sla.StageClose]
	if !ok {
		return generic
	}
	n := fmt.Sprintf("%s类诉求一般在%s内办结答复，可凭诉求编号查询进度。", s.AppealType, l.Label())
	if s.Type == TypeBatch {
		n += "本服务集中受理，提交后请用返回的 token 查询诉求编号。"
	}
	return n
}

// view is the public view of a, with its service's notice.
func (h *handler) view(a *huying.Appeal, events []*huying.Event, l *ServiceList) *requestView {
	v := project(a, events, l, h.zone)
	if v.service != nil {
		v.notice = h.notice(v.service)
	}
	return v
}

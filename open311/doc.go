// Package open311 is Huying's Open311 GeoReport v2 interface at
// /georeport/v2/, in XML and JSON (the format is the file extension), so
// that any Open311 app can file appeals and follow them. It sits on the
// workflow service like the JSON API: POST requests goes through
// workflow.Service.Receive, api_key is a Huying API token checked with
// AuthenticateToken, and every status and update is derived from the
// appeal's events, never stored apart.
//
// Resources (all also as .xml):
//
//	GET  discovery.json                      service discovery
//	GET  services.json                       the service list (Catalogue)
//	GET  services/{service_code}.json        a service definition
//	POST requests.json                       file a request (api_key)
//	GET  requests.json                       list requests
//	GET  requests/{service_request_id}.json  one request, as a list of one
//	GET  tokens/{token}.json                 a batch service's token → id
//	GET  servicerequestupdates.json          FixMyStreet updates
//	POST servicerequestupdates.json          the resident's comment (api_key)
//
// Where the spec leaves a choice (shared/docs/open311.md §1.10), this
// package does the following.
//
//   - IDs and codes are JSON strings. service_request_id is Huying's
//     tracking code (PS20260928000001); service codes keep leading zeros.
//   - Lists are lists: GET requests/{id}, POST requests and tokens answer a
//     list of one; attributes, values, endpoints and formats are arrays in
//     JSON and wrapper elements in XML even with one item. Absent optional
//     values are JSON null and empty XML elements; address is always sent.
//   - Times are RFC 3339 in the jurisdiction's zone (+08:00). Input times
//     take Z or an offset, or a local time or bare date read in that zone.
//   - jurisdiction_id and api_key are read from the form body and the query
//     string. One jurisdiction is served: none or ours is accepted, any
//     other is 404. api_key is ignored on GETs (FixMyStreet sends one).
//   - attribute[CODE] and attribute[CODE][] are the same; lists may repeat
//     the key. Every multi-valued GET parameter takes "a,b" or repeats.
//   - Location is lat+long (WGS84, inside China), address_string or
//     address_id. phone is required (Huying calls every resident back) and
//     must be a mainland mobile (+86 allowed) or a landline with area code;
//     first_name/last_name make the contact name (Chinese order when either
//     is Chinese). email, device_id and account_id are not kept: Huying has
//     no place for them and they are not needed to reach the resident.
//     media_url must be http(s) links (repeatable, at most 9), kept as text.
//   - description is at most 4,000 characters; with the attribute answers
//     the appeal's text must stay within 5,000. Everything is kept in the
//     appeal's content (see content.go), readable by handlers.
//   - GET requests: service_request_id overrides the other parameters; the
//     range is start_date..end_date on requested_datetime, compared at the
//     precision times are shown (whole seconds: a request shown as
//     10:00:00 matches end_date=…T10:00:00 whatever its stored fraction;
//     the same for servicerequestupdates), by default the
//     last 90 days, and a longer range is clamped to its last 90 days; the
//     order is newest first; page is 1-based, page_size is 50 by default and
//     at most 500; X-Total-Count gives the number of matches.
//   - GET shows only requests filed through Open311 and never confidential
//     ones, and only resident-safe fields (see publicReader in view.go).
//   - Core status is open or closed (huying.Status.Open). status_notes,
//     agency_responsible (the lead unit) and expected_datetime (the SLA
//     deadline while open) say more; servicerequestupdates carries each
//     resident-visible step with the mySociety extended status and Huying's
//     own status as external_status_code. A redo (返工) is reported as
//     open in both: clients reopen a fixed report on open, and take no
//     reopen.
//   - batch services answer POST with a token; Huying files at once, so the
//     token resolves immediately (see requests.go).
//   - POST servicerequestupdates is the resident's comment, as FixMyStreet
//     sends it (service_request_id, update_id, status, updated_datetime,
//     description, media_url, first_name, last_name, phone, email). See
//     "Updates" below.
//   - POST bodies are application/x-www-form-urlencoded UTF-8, at most
//     MaxBody bytes; multipart is refused (use media_url).
//   - Every parameter (body, query string and path) must be text: no
//     control characters but tab and line breaks (400); first_name and
//     last_name may not hold bidirectional controls.
//
// # Updates
//
// FixMyStreet sends the report's current state with every update, so
// status is not a rating. A posted update is the resident's comment, in
// every state of the appeal, closed ones too: a supplement (补充) on the
// appeal's timeline, with its media_url links and the writer's name, that
// the unit and the centre read (workflow.Service.SupplementForChannel). It
// is never sent back in GET servicerequestupdates. A valid comment on an
// existing request is always accepted: any status word in either case, or
// none, is fine; only text over MaxDescription, media that is not an
// http(s) link, a bad rating attribute (below) or a bad api_key are
// refused. With an update_id (FixMyStreet's comment id) it is idempotent:
// a retry records nothing and answers the first update_id.
//
// It also rates the reply only when the appeal awaits the resident's rating
// (待回访评价: replied and reviewed), phone is the one the request was filed
// with (the resident, not another user of the app), and status is the
// resident's mark:
//
//	FIXED, CLOSED  → 满意, with the text as the comment
//	OPEN, REOPEN   → 不满意, with the text as the reason; the appeal is redone (重办)
//
// Otherwise it is only a comment.
//
// A mark is a state the resident chose, not one the app echoes. FixMyStreet
// sends a new state only when its user ticks "fixed" or "not fixed";
// otherwise it sends the state it last fetched from Huying. So FIXED,
// CLOSED or OPEN is a mark only if it is none of the states the app may
// have been showing when the comment was written (at updated_datetime, or
// now when that is absent, unreadable or later): the state Huying had
// reported fetchLag (one hour) before, and every state reported since,
// each in its extended word (FIXED, IN_PROGRESS…) and its core word (CLOSED
// for fixed, no_further_action and the other closed ones; OPEN for the open
// ones). "unchanged" (the centre's review) changes no state. REOPEN is
// always a mark: FixMyStreet sends it only when its user reopens.
//
// So on a reply reported fixed (已解决), FIXED or CLOSED with "根本没解决" is
// the echoed state, a comment, and OPEN is "not fixed", 不满意. On a reply
// reported in_progress (部分解决), IN_PROGRESS or OPEN with a question is a
// comment, and FIXED or CLOSED is "fixed", 满意. OPEN written before the
// reply reached the app (a retry, a late fetch) is a comment. A doubt
// falls on the side of the comment: the centre's callback (回访) still asks
// the resident, while a wrong 不满意 would redo the appeal and count against
// the unit.
//
// Huying's own apps may rate explicitly with attribute[satisfaction] (满意,
// 基本满意, 不满意) and the 1–5 scores attribute[speed], [effect],
// [experience] and [reply_quality]; a status of FIXED, CLOSED, OPEN or
// REOPEN must agree with it, and gives the satisfaction when only scores
// are sent. An explicit rating needs the filing phone (400 without it, 403
// if it differs) and an appeal awaiting its rating (400, body code 4009);
// nothing is recorded when it is refused.
//
// Errors are a list of {code, description} with the spec's HTTP statuses:
// 404 for an unknown resource, service_code, service_request_id, token or
// jurisdiction_id, 403 for a missing or invalid api_key, 400 for the rest
// (plus 405, 413, 500, and 503 with Retry-After while the database cannot
// be reached or written). The body code is the status or, for 400, one of
// the Code constants that says what to fix. Descriptions are in Chinese,
// for the resident, and name the parameter.
package open311

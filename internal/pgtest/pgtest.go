// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb
// into a temporary directory, a free loopback port, stopped at the end.
// TEST_DATABASE_URL, when set, is used instead. When no PostgreSQL binaries
// are found, tests skip loudly, or fail when HUYING_REQUIRE_PG=1 (CI).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Cluster is a running server.
type Cluster struct {
	URL  string // postgres://… of the "postgres" database
	dir  string
	bin  string
	user string // run commands as this OS user ("" for the current one)
}

// Main runs a package's tests with a cluster in *c (nil when skipped) and
// returns the exit code. Use it from TestMain.
func Main(m *testing.M, c **Cluster) int {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		*c = &Cluster{URL: u}
		return m.Run()
	}
	cl, err := Start()
	if err != nil {
		msg := "\n*** PostgreSQL suite SKIPPED: " + err.Error() + " ***\n\n"
		if os.Getenv("HUYING_REQUIRE_PG") == "1" {
			fmt.Fprint(os.Stderr, msg+"HUYING_REQUIRE_PG=1: failing.\n")
			return 1
		}
		fmt.Fprint(os.Stderr, msg)
		return m.Run()
	}
	*c = cl
	code := m.Run()
	cl.Stop()
	return code
}

// Require skips (or, with HUYING_REQUIRE_PG=1, fails) a test without a cluster.
func Require(t testing.TB, c *Cluster) {
	t.Helper()
	if c == nil {
		if os.Getenv("HUYING_REQUIRE_PG") == "1" {
			t.Fatal("PostgreSQL is required (HUYING_REQUIRE_PG=1) but no cluster could start")
		}
		t.Skip("PostgreSQL not available; see the SKIPPED message above")
	}
}

// findBin returns the directory of initdb and pg_ctl.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", fmt.Errorf("initdb not found in PATH or /usr/lib/postgresql/*/bin")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// Start initialises and starts a cluster. PostgreSQL refuses to run as
// root, so as root it runs as the "postgres" user in a directory it owns.
func Start() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "huying-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and there is no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		c.user = "postgres"
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v\n%s", err, out)
	}
	c.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return c, nil
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, name)
	if c.user != "" {
		args = append([]string{"-u", c.user, "--", path}, args...)
		path = "runuser"
	}
	return exec.Command(path, args...).CombinedOutput()
}

// Stop stops the cluster and removes its directory.
func (c *Cluster) Stop() {
	if c.dir == "" {
		return
	}
	_, _ = c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	_ = os.RemoveAll(c.dir)
}

// Schema creates a fresh schema and returns a URL whose connections use it,
// so parallel tests share the cluster without seeing each other's tables.
func (c *Cluster) Schema(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", c.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

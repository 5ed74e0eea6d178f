package crons_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/runs"
)

// The fake follows the wire contract of the Python SDK and server: the JS
// server has no working cron routes.

// cronJSON is a cron record as the Python server returns it.
const cronJSON = `{"cron_id":"c1","assistant_id":"a1","thread_id":null,"on_run_completed":"keep",
"end_time":"2026-12-31T23:59:59+00:00","schedule":"0 9 * * 1-5","timezone":"Europe/Paris",
"created_at":"2026-11-27T10:00:00.073257+00:00","updated_at":"2026-11-27T10:00:00.073257+00:00",
"payload":{"input":{"x":1},"assistant_id":"a1"},"user_id":"alice","next_run_date":"2026-11-30T08:00:00+00:00",
"metadata":{"owner":"alice"},"enabled":true}`

func TestCreate(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, cronJSON))
	enabled := false
	cron, err := c.Crons.Create(ctx, "agent", crons.CreateParams{
		Schedule:          "0 9 * * 1-5",
		Timezone:          "Europe/Paris",
		EndTime:           time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
		Enabled:           &enabled,
		OnRunCompleted:    runs.OnCompletionKeep,
		Input:             map[string]any{"x": 1},
		Metadata:          map[string]any{"m": "v"},
		Config:            &langgraph.Config{Tags: []string{"t"}, RecursionLimit: 5},
		Context:           map[string]any{"model": "small"},
		Durability:        runs.DurabilityAsync,
		InterruptBefore:   langgraph.AllNodes(),
		InterruptAfter:    langgraph.Nodes{"tool"},
		Webhook:           "https://example.com/hook",
		MultitaskStrategy: runs.MultitaskEnqueue,
		StreamMode:        []runs.StreamMode{runs.StreamValues, runs.StreamUpdates},
		Subgraphs:         true,
		StreamResumable:   true,
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/runs/crons", "", `{"assistant_id":"agent","schedule":"0 9 * * 1-5","timezone":"Europe/Paris",
		"end_time":"2026-12-31T23:59:59Z","enabled":false,"on_run_completed":"keep","input":{"x":1},"metadata":{"m":"v"},
		"config":{"tags":["t"],"recursion_limit":5},"context":{"model":"small"},"durability":"async",
		"interrupt_before":"*","interrupt_after":["tool"],"webhook":"https://example.com/hook","multitask_strategy":"enqueue",
		"stream_mode":["values","updates"],"stream_subgraphs":true,"stream_resumable":true}`)

	want := crons.Cron{
		CronID: "c1", AssistantID: "a1", OnRunCompleted: runs.OnCompletionKeep,
		EndTime:  time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
		Schedule: "0 9 * * 1-5", Timezone: "Europe/Paris",
		CreatedAt: time.Date(2026, 11, 27, 10, 0, 0, 73257000, time.UTC), UpdatedAt: time.Date(2026, 11, 27, 10, 0, 0, 73257000, time.UTC),
		Payload: json.RawMessage(`{"input":{"x":1},"assistant_id":"a1"}`), UserID: "alice",
		NextRunDate: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), Metadata: map[string]any{"owner": "alice"}, Enabled: true,
	}
	if !sameCron(cron, &want) {
		t.Errorf("cron = %+v\nwant   %+v", cron, want)
	}

	// The minimal job sends the assistant and the schedule only; an
	// unscheduled end and a default enabled flag are left out.
	f, c = fake.NewClient(t, fake.Fixed(200, `{"cron_id":"c2","assistant_id":"a1","thread_id":null,"end_time":null,"schedule":"* * * * *","next_run_date":null,"enabled":true}`))
	cron, err = c.Crons.Create(ctx, "a1", crons.CreateParams{Schedule: "* * * * *"})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/runs/crons", "", `{"assistant_id":"a1","schedule":"* * * * *"}`)
	if cron.ThreadID != "" || !cron.EndTime.IsZero() || !cron.NextRunDate.IsZero() || !cron.Enabled {
		t.Errorf("nulls decode to zero values: %+v", cron)
	}
}

// sameCron compares two crons, times by instant.
func sameCron(a, b *crons.Cron) bool {
	for _, p := range [][2]time.Time{{a.EndTime, b.EndTime}, {a.CreatedAt, b.CreatedAt}, {a.UpdatedAt, b.UpdatedAt}, {a.NextRunDate, b.NextRunDate}} {
		if !p[0].Equal(p[1]) {
			return false
		}
	}
	x, y := *a, *b
	x.EndTime, x.CreatedAt, x.UpdatedAt, x.NextRunDate = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	y.EndTime, y.CreatedAt, y.UpdatedAt, y.NextRunDate = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	var px, py any
	_ = json.Unmarshal(x.Payload, &px)
	_ = json.Unmarshal(y.Payload, &py)
	x.Payload, y.Payload = nil, nil
	return reflect.DeepEqual(x, y) && reflect.DeepEqual(px, py)
}

func TestCreateForThread(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, strings.Replace(cronJSON, `"thread_id":null`, `"thread_id":"t/1"`, 1)))
	cron, err := c.Crons.CreateForThread(ctx, "t/1", "agent", crons.CreateParams{
		Schedule: "27 15 * * *", Input: map[string]any{"messages": []any{}}, MultitaskStrategy: runs.MultitaskReject,
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/threads/t%2F1/runs/crons", "",
		`{"assistant_id":"agent","schedule":"27 15 * * *","input":{"messages":[]},"multitask_strategy":"reject"}`)
	if cron.ThreadID != "t/1" {
		t.Errorf("thread id = %q", cron.ThreadID)
	}
}

// A create is not retried after a server error (the job may exist), while
// reads and deletes are.
func TestRetryPolicy(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(503, "down"))
	_, err := c.Crons.Create(ctx, "a", crons.CreateParams{Schedule: "* * * * *"})
	if !errors.Is(err, langgraph.ErrServer) || f.Count() != 1 {
		t.Errorf("create: err %v after %d requests; want a 503 after 1", err, f.Count())
	}
	f, c = fake.NewClient(t, fake.Fixed(503, "down"))
	err = c.Crons.Delete(ctx, "c1")
	if !errors.Is(err, langgraph.ErrServer) || f.Count() != 4 {
		t.Errorf("delete: err %v after %d requests; want a 503 after 4", err, f.Count())
	}
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	on, off := true, false
	end := time.Date(2027, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	cases := []struct {
		name string
		p    crons.UpdateParams
		body string
	}{
		// Only the given fields are sent: end_time is left out, so it stays.
		{"only given fields", crons.UpdateParams{Schedule: "0 10 * * *", Enabled: &off}, `{"schedule":"0 10 * * *","enabled":false}`},
		{"nothing", crons.UpdateParams{}, `{}`},
		{"set end time", crons.UpdateParams{EndTime: end}, `{"end_time":"2027-01-02T03:04:05+01:00"}`},
		// An explicit clear is sent as JSON null.
		{"clear end time", crons.UpdateParams{ClearEndTime: true, Enabled: &on}, `{"end_time":null,"enabled":true}`},
		{"every field", crons.UpdateParams{
			Schedule: "1 * * * *", Timezone: "UTC", EndTime: end, Enabled: &on, OnRunCompleted: runs.OnCompletionDelete,
			Input: map[string]any{"i": 1}, Metadata: map[string]any{"m": 2}, Config: &langgraph.Config{Tags: []string{"x"}},
			Context: map[string]any{"c": 3}, Durability: runs.DurabilityExit, InterruptBefore: langgraph.Nodes{"a"},
			InterruptAfter: langgraph.AllNodes(), Webhook: "https://h", StreamMode: []runs.StreamMode{runs.StreamCustom},
			Subgraphs: &off, StreamResumable: &on,
		}, `{"schedule":"1 * * * *","timezone":"UTC","end_time":"2027-01-02T03:04:05+01:00","enabled":true,
			"on_run_completed":"delete","input":{"i":1},"metadata":{"m":2},"config":{"tags":["x"]},"context":{"c":3},
			"durability":"exit","interrupt_before":["a"],"interrupt_after":"*","webhook":"https://h",
			"stream_mode":["custom"],"stream_subgraphs":false,"stream_resumable":true}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c := fake.NewClient(t, fake.Fixed(200, cronJSON))
			cron, err := c.Crons.Update(ctx, "c 1", tc.p)
			if err != nil {
				t.Fatal(err)
			}
			got := f.One(t)
			fake.Check(t, got, "PATCH", "/runs/crons/c%201", "", tc.body)
			// Null and absent are different on the wire, not only after decoding.
			_, present := fake.Object(t, got)["end_time"]
			if wantPresent := tc.p.ClearEndTime || !tc.p.EndTime.IsZero(); present != wantPresent {
				t.Errorf("end_time present = %v, want %v (raw %s)", present, wantPresent, got.Body)
			}
			if cron.CronID != "c1" {
				t.Errorf("cron = %+v", cron)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""))
	if err := c.Crons.Delete(context.Background(), "c/1"); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "DELETE", "/runs/crons/c%2F1", "", "")
	// A dot id would leave the route: nothing is sent.
	if err := c.Crons.Delete(context.Background(), ".."); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "cron_id") {
		t.Errorf("Delete(..) = %v, want ErrInvalidArgument naming cron_id", err)
	}
	if n := f.Count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `[`+cronJSON+`]`))
	on := true
	out, err := c.Crons.Search(ctx, crons.SearchParams{
		AssistantID: "a1", ThreadID: "t1", Enabled: &on, Metadata: map[string]any{"k": "v"},
		Limit: 5, Offset: 10, SortBy: crons.SortByNextRunDate, SortOrder: langgraph.Asc, Select: []string{"cron_id", "schedule"},
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/runs/crons/search", "", `{"assistant_id":"a1","thread_id":"t1","enabled":true,"metadata":{"k":"v"},
		"limit":5,"offset":10,"sort_by":"next_run_date","sort_order":"asc","select":["cron_id","schedule"]}`)
	if len(out) != 1 || out[0].CronID != "c1" {
		t.Errorf("crons = %+v", out)
	}

	// Empty metadata is not sent; enabled=false is.
	f, c = fake.NewClient(t, fake.Fixed(200, `[]`))
	off := false
	if _, err := c.Crons.Search(ctx, crons.SearchParams{Metadata: map[string]any{}, Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/runs/crons/search", "", `{"enabled":false}`)
}

func TestCount(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `3`))
	n, err := c.Crons.Count(ctx, crons.CountParams{AssistantID: "a1", ThreadID: "t1", Metadata: map[string]any{"k": "v"}})
	if err != nil || n != 3 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	fake.Check(t, f.One(t), "POST", "/runs/crons/count", "", `{"assistant_id":"a1","thread_id":"t1","metadata":{"k":"v"}}`)

	f, c = fake.NewClient(t, fake.Fixed(200, `0`))
	if _, err := c.Crons.Count(ctx, crons.CountParams{Metadata: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/runs/crons/count", "", `{}`)
}

// pagedCrons serves total crons c0, c1, ... by the body's offset and limit;
// with python set, X-Pagination-Next is sent only while more follow.
func pagedCrons(t *testing.T, total int, python bool) func(int, fake.Request) fake.Reply {
	return func(_ int, r fake.Request) fake.Reply {
		b := fake.Object(t, r)
		limit, _ := b["limit"].(float64)
		offset, _ := b["offset"].(float64)
		var items []string
		for i := int(offset); i < total && i < int(offset+limit); i++ {
			items = append(items, `{"cron_id":"c`+strconv.Itoa(i)+`"}`)
		}
		rep := fake.Reply{Body: "[" + strings.Join(items, ",") + "]"}
		if next := int(offset) + len(items); python && next < total {
			rep.Header = map[string]string{"X-Pagination-Next": strconv.Itoa(next)}
		}
		return rep
	}
}

func TestSearchAll(t *testing.T) {
	ctx := context.Background()
	ids := func(c *client.Client, p crons.SearchParams) (out []string, err error) {
		for cr, e := range c.Crons.SearchAll(ctx, p) {
			if e != nil {
				return out, e
			}
			out = append(out, cr.CronID)
		}
		return out, nil
	}

	// A short page ends the walk.
	f, c := fake.NewClient(t, pagedCrons(t, 5, false))
	got, err := ids(c, crons.SearchParams{AssistantID: "a1", Limit: 2})
	if err != nil || strings.Join(got, " ") != "c0 c1 c2 c3 c4" || f.Count() != 3 {
		t.Errorf("got %v, %v in %d requests", got, err, f.Count())
	}
	fake.Check(t, f.Requests()[0], "POST", "/runs/crons/search", "", `{"assistant_id":"a1","limit":2}`)
	fake.Check(t, f.Requests()[2], "POST", "/runs/crons/search", "", `{"assistant_id":"a1","limit":2,"offset":4}`)

	// A full last page without X-Pagination-Next ends the walk once the
	// server has shown it sends the header: no extra empty page.
	f, c = fake.NewClient(t, pagedCrons(t, 4, true))
	got, err = ids(c, crons.SearchParams{Limit: 2})
	if err != nil || len(got) != 4 || f.Count() != 2 {
		t.Errorf("got %v, %v in %d requests; want 4 in 2", got, err, f.Count())
	}

	// Zero Limit pages by 10 from the given offset; an error ends the walk.
	f, c = fake.NewClient(t, func(n int, r fake.Request) fake.Reply {
		if fake.Object(t, r)["offset"] == float64(13) {
			return fake.Reply{Status: 404, Body: `{"detail":"gone"}`}
		}
		return pagedCrons(t, 100, true)(n, r)
	})
	got, err = ids(c, crons.SearchParams{Offset: 3})
	if len(got) != 10 || got[0] != "c3" || !errors.Is(err, langgraph.ErrNotFound) || f.Count() != 2 {
		t.Errorf("got %v, %v in %d requests; want c3..c12 and a 404 in 2", got, err, f.Count())
	}

	// Breaking out sends nothing more.
	f, c = fake.NewClient(t, pagedCrons(t, 100, true))
	for range c.Crons.SearchAll(ctx, crons.SearchParams{Limit: 3}) {
		break
	}
	if n := f.Count(); n != 1 {
		t.Errorf("%d requests after break, want 1", n)
	}
}

// Bad input is refused before anything is sent.
func TestRefusedClientSide(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, cronJSON))
	sched := crons.CreateParams{Schedule: "* * * * *"}
	errs := map[string]error{}
	_, errs["create: no assistant"] = c.Crons.Create(ctx, "", sched)
	_, errs["create: no schedule"] = c.Crons.Create(ctx, "a", crons.CreateParams{})
	_, errs["thread: no thread"] = c.Crons.CreateForThread(ctx, "", "a", sched)
	_, errs["thread: no schedule"] = c.Crons.CreateForThread(ctx, "t", "a", crons.CreateParams{})
	_, errs["thread: on_run_completed"] = c.Crons.CreateForThread(ctx, "t", "a", crons.CreateParams{Schedule: "* * * * *", OnRunCompleted: runs.OnCompletionKeep})
	_, errs["update: no id"] = c.Crons.Update(ctx, "", crons.UpdateParams{})
	_, errs["update: set and clear"] = c.Crons.Update(ctx, "c", crons.UpdateParams{EndTime: time.Now(), ClearEndTime: true})
	errs["delete: no id"] = c.Crons.Delete(ctx, "")
	_, errs["search: negative limit"] = c.Crons.Search(ctx, crons.SearchParams{Limit: -1})
	for _, err := range c.Crons.SearchAll(ctx, crons.SearchParams{Offset: -1}) {
		errs["search all: negative offset"] = err
	}
	for name, err := range errs {
		var apiErr *langgraph.APIError
		if err == nil || errors.As(err, &apiErr) {
			t.Errorf("%s: err = %v, want a client-side error", name, err)
		}
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent for refused input, want 0", n)
	}
}

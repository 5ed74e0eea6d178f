package store_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/store"
)

// Keep a user's notes in the store: put two, read one back, search them all,
// and tell a missing item from a failure. The client takes the deployment's
// URL from LANGGRAPH_API_URL (the package's tests point it at their test
// server).
func Example() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	type Note struct {
		Text string `json:"text"`
		Tag  string `json:"tag"`
	}
	ns := []string{"alice", "notes"}

	if err := c.Store.PutItem(ctx, ns, "n1", Note{"buy milk", "todo"}, store.PutParams{}); err != nil {
		log.Fatal(err)
	}
	// This one expires a day after it was last written, and is not indexed
	// for semantic search.
	if err := c.Store.PutItem(ctx, ns, "n2", Note{"call Bob", "todo"}, store.PutParams{TTL: 24 * time.Hour, NoIndex: true}); err != nil {
		log.Fatal(err)
	}

	it, err := c.Store.GetItem(ctx, ns, "n1", store.GetParams{})
	if err != nil {
		log.Fatal(err)
	}
	var n Note
	if err := it.Decode(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println(it.Key, n.Text)

	for it, err := range c.Store.SearchItemsAll(ctx, ns, store.SearchParams{Filter: map[string]any{"tag": "todo"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(it.Namespace, it.Key)
	}

	if _, err := c.Store.GetItem(ctx, ns, "nope", store.GetParams{}); errors.Is(err, langgraph.ErrNotFound) {
		fmt.Println("no such note")
	} else if err != nil {
		log.Fatal(err)
	}
	// Output:
	// n1 buy milk
	// [alice notes] n1
	// [alice notes] n2
	// no such note
}

// A namespace label cannot contain "."; the call fails before anything is
// sent.
func ExampleService_PutItem_dottedLabel() {
	c, err := client.New(langgraph.WithBaseURL("http://localhost:8123"), langgraph.WithoutAPIKey())
	if err != nil {
		log.Fatal(err)
	}
	err = c.Store.PutItem(context.Background(), []string{"alice", "v1.2"}, "k", map[string]any{"x": 1}, store.PutParams{})
	fmt.Println(err)
	// Output: langgraph: invalid argument: store: namespace ["alice" "v1.2"]: label "v1.2" contains '.', which namespace labels cannot contain
}

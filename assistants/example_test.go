package assistants_test

import (
	"context"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
)

// Create an assistant for a graph, give it a new version, go back to the
// first one, then list the support team's assistants. The client takes the
// deployment's URL from LANGGRAPH_API_URL (the package's tests point it at
// their test server).
func Example() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}

	a, err := c.Assistants.Create(ctx, assistants.CreateParams{
		GraphID:  "agent",
		Name:     "Support bot",
		Config:   &langgraph.Config{Configurable: map[string]any{"model": "small"}},
		Metadata: map[string]any{"team": "support"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Assistants.Delete(ctx, a.AssistantID, assistants.DeleteParams{})

	a, err = c.Assistants.Update(ctx, a.AssistantID, assistants.UpdateParams{
		Config: &langgraph.Config{Configurable: map[string]any{"model": "large"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("version", a.Version, "model", a.Config.Configurable["model"])

	if _, err := c.Assistants.SetLatest(ctx, a.AssistantID, 1); err != nil {
		log.Fatal(err)
	}

	for a, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{Metadata: map[string]any{"team": "support"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.Name, "version", a.Version, "model", a.Config.Configurable["model"])
	}
	// Output:
	// version 2 model large
	// Support bot version 1 model small
}

// The graph id stands for the graph's system assistant.
func ExampleService_GetGraph() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	g, err := c.Assistants.GetGraph(ctx, "agent", assistants.GraphParams{XRay: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range g.Edges {
		fmt.Println(e.Source, "->", e.Target)
	}
	// Output:
	// __start__ -> agent
	// agent -> __end__
}

package crons_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/runs"
)

// Schedule a weekday-morning run of the "agent" graph in Paris time, pause it,
// remove its end date, then list every job of the assistant. It needs a
// server with cron support, so it has no Output.
func Example() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBaseURL("http://localhost:8123"))
	if err != nil {
		log.Fatal(err)
	}

	job, err := c.Crons.Create(ctx, "agent", crons.CreateParams{
		Schedule:       "0 9 * * 1-5",
		Timezone:       "Europe/Paris",
		EndTime:        time.Now().AddDate(0, 3, 0),
		Input:          map[string]any{"messages": []map[string]string{{"role": "human", "content": "Daily summary"}}},
		OnRunCompleted: runs.OnCompletionKeep,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("next run at", job.NextRunDate)

	disabled := false
	if _, err := c.Crons.Update(ctx, job.CronID, crons.UpdateParams{Enabled: &disabled}); err != nil {
		log.Fatal(err)
	}
	// ClearEndTime sends "end_time": null; leaving EndTime zero would keep it.
	if _, err := c.Crons.Update(ctx, job.CronID, crons.UpdateParams{ClearEndTime: true}); err != nil {
		log.Fatal(err)
	}

	for j, err := range c.Crons.SearchAll(ctx, crons.SearchParams{AssistantID: job.AssistantID, SortBy: crons.SortByNextRunDate}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(j.CronID, j.Schedule, j.Enabled)
	}

	if err := c.Crons.Delete(ctx, job.CronID); err != nil {
		log.Fatal(err)
	}
}

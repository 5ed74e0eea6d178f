package otel_test

import (
	"context"
	"log"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	lgotel "github.com/langgraph-go/langgraph/contrib/otel"
	"github.com/langgraph-go/langgraph/runs"
)

// A service sets up OpenTelemetry once (an exporter would go in the
// tracer provider), then instruments its client: every call is a span, a
// run an invoke_agent span, and the deployment gets the trace in
// traceparent.
func Example() {
	tp := sdktrace.NewTracerProvider( /* sdktrace.WithBatcher(exporter) */ )
	defer tp.Shutdown(context.Background())
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	c, err := client.New(langgraph.WithBaseURL("http://localhost:8123"), lgotel.Instrument())
	if err != nil {
		log.Fatal(err)
	}
	ctx, span := tp.Tracer("my-service").Start(context.Background(), "handle request")
	defer span.End()
	for part, err := range c.Runs.StreamStateless(ctx, "agent", runs.StreamParams{}) {
		if err != nil {
			log.Print(err)
			break
		}
		_ = part
	}
}

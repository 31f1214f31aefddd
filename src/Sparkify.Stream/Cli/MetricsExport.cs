using OpenTelemetry;
using OpenTelemetry.Metrics;
using Sparkify.Stream.Jobs;

namespace Sparkify.Stream.Cli;

/// <summary>
/// Exports <see cref="RunMetrics"/> with OpenTelemetry: a Prometheus scrape endpoint on loopback
/// (<c>--metrics-port N</c> → <c>http://127.0.0.1:N/metrics</c>), and OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set (the SDK reads it and the other <c>OTEL_EXPORTER_OTLP_*</c> variables; batch runs too, flushed at exit).
/// </summary>
internal static class MetricsExport
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <returns>The provider to dispose at exit (it flushes), or null when nothing is exported.</returns>
    public static MeterProvider? Start(int? prometheusPort, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var otlp = !string.IsNullOrWhiteSpace(environment(OtlpEndpointVariable));
        return prometheusPort is null && !otlp ? null : Build(prometheusPort, otlp);
    }

    // Apart, so a run that exports nothing never loads the OpenTelemetry assemblies (compiling Start would).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static MeterProvider Build(int? prometheusPort, bool otlp)
    {
        var builder = Sdk.CreateMeterProviderBuilder().AddMeter(RunMetrics.MeterName);
        if (prometheusPort is { } port)
        {
            // Loopback only: the endpoint has no authentication; publish it through the host's own proxy or sidecar.
            builder.AddPrometheusHttpListener(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
                o.ScrapeResponseCacheDurationMilliseconds = 0;   // a scrape after a pass sees that pass
            });
        }
        if (otlp) builder.AddOtlpExporter();
        return builder.Build();
    }
}

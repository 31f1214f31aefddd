using Npgsql;
using Testcontainers.PostgreSql;

namespace Sparkify.Stream.IntegrationTests.Infrastructure;

/// <summary>
/// The one PostgreSQL server of a test run, shared by every test class: the server in
/// <c>SPARKIFY_TEST_PG</c>, else a Testcontainers container when a Docker engine answers. Test classes
/// get their own database on it through <see cref="PostgresFixture"/>.
/// </summary>
internal sealed class PostgresServer
{
    public const string HowToProvide =
        "No PostgreSQL server for the integration tests: set " + TestEnvironment.PostgresVariable +
        "=\"Host=127.0.0.1;Port=5432;Username=postgres;Password=…;Database=postgres\", or run scripts/test.sh " +
        "(it starts a throwaway local server), or make a Docker engine available for Testcontainers.";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresServer(string adminConnectionString, string source)
    {
        AdminConnectionString = adminConnectionString;
        Source = source;
    }

    /// <summary>A connection string to the server's maintenance database, as a superuser.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where the server came from, for test output.</summary>
    public string Source { get; }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    private static async Task<PostgresServer> StartAsync()
    {
        if (TestEnvironment.Get(TestEnvironment.PostgresVariable) is { } configured)
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(configured);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"{TestEnvironment.PostgresVariable} is not a valid Npgsql connection string: {e.Message}");
            }
            return new PostgresServer(builder.ConnectionString, TestEnvironment.PostgresVariable);
        }

        if (await DockerProbe.EngineAnswersAsync())
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new PostgresServer(container.GetConnectionString(), "Testcontainers");
        }

        throw new InvalidOperationException(HowToProvide);
    }
}

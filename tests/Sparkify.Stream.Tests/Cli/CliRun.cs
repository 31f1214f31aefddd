using System.Net;
using System.Net.Sockets;
using Sparkify.Stream.Cli;

namespace Sparkify.Stream.Tests.Cli;

/// <summary>Running the command line in-process, and a loopback port nothing listens on.</summary>
public static class CliRun
{
    /// <summary>The command line's exit code, stdout and stderr; its standard input empty.</summary>
    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => AnsweringAsync("", args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="input"/> as its standard input (a confirmation's answer).</summary>
    public static async Task<(int Code, string Out, string Err)> AnsweringAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await SparkifyCli.RunAsync(args, output, errors, new StringReader(input));
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>A loopback port nothing listens on (bound once by the OS, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

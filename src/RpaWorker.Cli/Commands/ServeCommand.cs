using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RpaWorker.Host;
using RpaWorker.Host.Security;
using Serilog;

namespace RpaWorker.Cli.Commands;

/// <summary><c>rpa serve</c>: runs the worker service; <c>rpa apikey</c>: makes an API key and the hash to configure.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve",
            "Run the worker service: schedules, runs, the operator API (/api) and the FHIR connector API (/fhir). Settings come from " +
            "appsettings.json, --config FILE, RPA_-prefixed environment variables (RPA_Worker__Store) and --Section:Key=value arguments.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Everything after "serve" is host configuration (--config, --urls, --Worker:DataDirectory=...).
            var args = parse.UnmatchedTokens.ToArray();
            Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
            try
            {
                await using var app = WorkerHost.Build(args);
                await app.StartAsync(cancellationToken);
                Console.WriteLine($"RpaWorker is serving on {string.Join(", ", app.Urls)} (Ctrl+C stops it)");
                await app.WaitForShutdownAsync(cancellationToken);
                return ExitCodes.Ok;
            }
            catch (OptionsValidationException ex)
            {
                Console.Error.WriteLine("error: the worker's configuration is not valid:");
                foreach (var failure in ex.Failures)
                {
                    Console.Error.WriteLine("  " + failure);
                }
                return ExitCodes.CouldNotRun;
            }
            catch (IOException ex) when (ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.CouldNotRun;
            }
            finally
            {
                await Log.CloseAndFlushAsync();
            }
        });
        return command;
    }

    public static Command CreateApiKey()
    {
        var tenant = new Option<string>("--tenant") { Description = "The clinic the key reaches.", Required = true };
        var name = new Option<string>("--name") { Description = "Who holds the key (shown in logs).", DefaultValueFactory = _ => "operator" };
        var command = new Command("apikey", "Make a new API key for the worker; prints the key once and the configuration entry that holds only its hash.")
        {
            tenant, name,
        };
        command.SetAction(parse =>
        {
            var key = ApiKey.Create();
            Console.WriteLine($"API key (give it to the caller; it is not stored anywhere): {key}");
            Console.WriteLine("Add to the worker's appsettings.json under Auth:ApiKeys:");
            Console.WriteLine($"  {{ \"Name\": \"{parse.GetValue(name)}\", \"Tenant\": \"{parse.GetValue(tenant)}\", \"Sha256\": \"{ApiKey.Hash(key)}\" }}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using RpaWorker.Host.FhirApi;

namespace RpaWorker.Host.Api;

/// <summary>
/// The answer to an exception an endpoint lets out. A passing database failure (a dropped or refused connection, a
/// serialization failure or deadlock, a lock not granted, SQLite busy or locked) is 503 with Retry-After: the same
/// request is expected to succeed shortly. Anything else is 500. Either way the body is a ProblemDetails (an
/// OperationOutcome under <c>/fhir</c>) that names the failure kind and the trace id, never the exception's message,
/// which may quote data; the log gets the kind, the route and the stack, not the message either.
/// </summary>
internal static partial class ErrorAnswers
{
    /// <summary>How long a client is asked to wait before it repeats a request that met a passing database failure.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Answers what the rest of the pipeline throws; goes before authentication, so its failures are answered too.</summary>
    public static IApplicationBuilder UseErrorAnswers(this IApplicationBuilder app) => app.UseMiddleware<ErrorAnswerMiddleware>();

    /// <summary>
    /// The passing database failure in <paramref name="exception"/> or its causes (Quartz and others wrap them), described
    /// without data (<c>PostgreSQL 40001</c>), or null when there is none.
    /// </summary>
    public static string? PassingDatabaseFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(PassingDatabaseFailure).FirstOrDefault(d => d is not null);
            }
            var described = e switch
            {
                PostgresException pg when pg.IsTransient || IsPassing(pg.SqlState) => "PostgreSQL " + pg.SqlState,
                NpgsqlException { IsTransient: true } => "PostgreSQL connection",
                SqliteException { SqliteErrorCode: SqliteBusy } => "SQLite busy",
                SqliteException { SqliteErrorCode: SqliteLocked } => "SQLite locked",
                _ => null,
            };
            if (described is not null)
            {
                return described;
            }
        }
        return null;
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// SQLSTATEs a repeat of the request can get past: connection (08), transaction rollback (40: serialization failure,
    /// deadlock), insufficient resources (53: too many connections), lock not available, server shutting down or
    /// starting. And 25P02, the transaction aborted by an earlier statement's failure: the transaction is rolled back
    /// and a repeat starts a new one (Quartz's lock queries were seen failing so under load).
    /// </summary>
    private static bool IsPassing(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("40", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal) || sqlState is "55P03" or "57P01" or "57P02" or "57P03" or "25P02";

    private sealed partial class ErrorAnswerMiddleware(RequestDelegate next, ILogger<ErrorAnswerMiddleware> logger)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && ex is not BadHttpRequestException)
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                var passing = PassingDatabaseFailure(ex);
                context.Response.Clear();
                if (passing is not null)
                {
                    LogPassingFailure(logger, passing, context.Request.Method, route, context.TraceIdentifier);
                    context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "transient",
                        $"The worker's database failed for a moment ({passing}); repeat the request after {RetryAfter.TotalSeconds:0} seconds. Trace id {context.TraceIdentifier}.");
                    return;
                }
                LogUnexpected(logger, Causes(ex), context.Request.Method, route, context.TraceIdentifier, ex.StackTrace ?? "");
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "exception",
                    $"The worker failed unexpectedly; its log has the failure under trace id {context.TraceIdentifier}.");
            }
        }

        /// <summary>The exception's type and its causes' types, outermost first: what went wrong, without the messages.</summary>
        private static string Causes(Exception exception)
        {
            var types = new List<string>();
            for (var e = exception; e is not null; e = e.InnerException)
            {
                types.Add(e is PostgresException pg ? $"{e.GetType().FullName} {pg.SqlState}" : e.GetType().FullName ?? e.GetType().Name);
            }
            return string.Join(" <- ", types);
        }

        private static Task WriteAsync(HttpContext context, int status, string fhirCode, string detail) =>
            context.Request.Path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase)
                ? FhirHttp.WriteOutcomeAsync(context, status, "error", fhirCode, detail)
                : TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?> { ["traceId"] = context.TraceIdentifier }).ExecuteAsync(context);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Route} answered 503: passing database failure ({Failure}), trace id {TraceId}")]
        private static partial void LogPassingFailure(ILogger logger, string failure, string method, string route, string traceId);

        [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Route} answered 500: {ExceptionTypes}, trace id {TraceId}\n{StackTrace}")]
        private static partial void LogUnexpected(ILogger logger, string exceptionTypes, string method, string route, string traceId, string stackTrace);
    }
}

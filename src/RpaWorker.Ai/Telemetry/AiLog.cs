using Microsoft.Extensions.Logging;

namespace RpaWorker.Ai.Telemetry;

/// <summary>The tier's log events. They carry operations, origins, statuses and counts: never a prompt or an answer.</summary>
internal static partial class AiLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "AI {Operation} for {Origin} in run {RunId}: {Status} in {ElapsedMs} ms, {InputTokens} input and {OutputTokens} output tokens")]
    public static partial void Asked(ILogger logger, string operation, string origin, string runId, AiStatus status, long elapsedMs, long inputTokens, long outputTokens);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "AI {Operation} for {Origin} in run {RunId}: answered from the cache")]
    public static partial void CacheHit(ILogger logger, string operation, string origin, string runId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "AI {Operation} for {Origin} in run {RunId}: {Status}: {Reason}")]
    public static partial void NotAnswered(ILogger logger, string operation, string origin, string runId, AiStatus status, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "AI use stops for run {RunId}: {Reason}")]
    public static partial void BudgetSpent(ILogger logger, string runId, string reason);
}

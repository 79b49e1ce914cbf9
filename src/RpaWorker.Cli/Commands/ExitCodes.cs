namespace RpaWorker.Cli.Commands;

/// <summary>Process exit codes shared by every verb.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>Some work items failed; the rest succeeded.</summary>
    public const int PartialFailure = 1;

    /// <summary>Could not run at all: bad arguments, missing input, broken environment.</summary>
    public const int CouldNotRun = 2;
}

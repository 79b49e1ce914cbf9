namespace RpaWorker.Playbooks;

/// <summary>A place in a playbook file. Line and column are 1-based, as editors show them.</summary>
/// <param name="File">The file's path as it was given to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One problem found in a playbook: where it is and what was expected.</summary>
/// <param name="Location">Where the problem is.</param>
/// <param name="Message">What is wrong and what was expected; never contains patient data.</param>
public sealed record PlaybookError(SourceLocation Location, string Message)
{
    /// <summary>The form compilers and editors understand: <c>file:line:column: message</c>.</summary>
    public override string ToString() => $"{Location}: {Message}";
}

namespace RpaWorker;

/// <summary>
/// Base type of every exception RpaWorker throws on purpose. Exceptions are for bugs and broken
/// environments (a missing browser, an unreadable data folder); expected failures such as an element
/// that is not on the screen are returned as values instead.
/// </summary>
/// <remarks>
/// Messages must never contain PHI: name the file, step or record key, not the patient's data.
/// </remarks>
public class RpaWorkerException : Exception
{
    /// <summary>Creates an exception with a PHI-free message.</summary>
    public RpaWorkerException(string message) : base(message) { }

    /// <summary>Creates an exception with a PHI-free message and the exception that caused it.</summary>
    public RpaWorkerException(string message, Exception innerException) : base(message, innerException) { }
}

using RpaWorker.Playbooks.Model;

namespace RpaWorker.Playbooks.Validation;

/// <summary>
/// A check over a whole loaded playbook, beyond its syntax: cross-references, guards, mappings.
/// Validators report every problem they find; they never throw for a bad playbook.
/// </summary>
public interface IPlaybookValidator
{
    /// <summary>Every problem found, each with the location of the offending node.</summary>
    IEnumerable<PlaybookError> Validate(PlaybookDefinition playbook);
}

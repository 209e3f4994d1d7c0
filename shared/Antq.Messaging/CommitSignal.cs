using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Antq.Messaging;

/// <summary>
/// An in-process wake-up: a sleeping loop learns that a transaction of this process committed work for it. A loop
/// takes <see cref="Next"/> before it looks for work and sleeps on it afterwards, so a commit in between is never
/// missed; one commit wakes every loop that sleeps on it.
/// </summary>
public class CommitSignal
{
    readonly AsyncLocal<bool> quiet = new();
    TaskCompletionSource next = New();

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref next).Task;

    public void Notify() => Interlocked.Exchange(ref next, New()).TrySetResult();

    /// <summary>
    /// Until the returned scope is disposed, the writes of this flow (and of what it awaits) wake nobody: a loop's own
    /// bookkeeping that only that loop acts on, and that it looks at again after its round anyway.
    /// </summary>
    public IDisposable Quiet()
    {
        var before = quiet.Value;
        quiet.Value = true;
        return new Restore(this, before);
    }

    internal bool IsQuiet => quiet.Value;

    static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    sealed class Restore(CommitSignal signal, bool before) : IDisposable
    {
        public void Dispose() => signal.quiet.Value = before;
    }
}

/// <summary>
/// Which committed writes wake <see cref="Signal"/>: inserts into, or updates of, the named tables, whether EF wrote
/// them (<c>SaveChanges</c>, <c>ExecuteUpdate</c>) or hand-written SQL did (<c>ExecuteSql</c>, <c>FromSql</c>) through a
/// context; with <see cref="EveryCommit"/>, also every commit of a context's transaction, whatever it wrote, for a
/// store that writes such rows with its own commands on the context's connection and transaction (an
/// <c>NpgsqlBatch</c>), which interception does not see. Writes on a connection opened without a context, or in a
/// transaction committed outside EF, wake nothing: the waiting loop's safety poll finds them.
/// </summary>
public sealed class CommitWatch
{
    readonly Regex writes;

    public CommitWatch(CommitSignal signal, IReadOnlyCollection<string> insertsInto, IReadOnlyCollection<string>? updatesOf = null,
        bool everyCommit = false)
    {
        Signal = signal;
        EveryCommit = everyCommit;
        var statements = new List<string>();
        if (insertsInto.Count > 0) statements.Add($@"\bINSERT\s+INTO\s+{Tables(insertsInto)}");
        if (updatesOf is { Count: > 0 }) statements.Add($@"\bUPDATE\s+{Tables(updatesOf)}");
        if (statements.Count == 0) throw new ArgumentException("A watch needs at least one table.", nameof(insertsInto));
        writes = new Regex(string.Join('|', statements), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public CommitSignal Signal { get; }

    public bool EveryCommit { get; }

    /// <summary>Whether the statement text writes to a watched table (schema and quotes allowed: <c>"public"."notices"</c>).</summary>
    public bool Matches(string commandText) => writes.IsMatch(commandText);

    static string Tables(IEnumerable<string> names) =>
        $@"(?:""?\w+""?\.)?""?(?:{string.Join('|', names.Select(Regex.Escape))})""?(?![\w""])";
}

/// <summary>
/// Notifies each <see cref="CommitWatch"/>'s signal once a write it watches is durable: at the commit of the transaction
/// that made it (any commit, for a watch of <see cref="CommitWatch.EveryCommit"/>), or, outside a transaction, as soon
/// as the statement (or the <c>SaveChanges</c>) has completed. A transaction that rolls back signals nothing. State is kept per context (contexts are pooled and used by one flow at a
/// time); a stale mark left by an abandoned transaction is cleared when the next one starts.
/// </summary>
sealed class CommitSignalInterceptor(IEnumerable<CommitWatch> watches) : IDbCommandInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    readonly CommitWatch[] watches = [.. watches];
    readonly ConditionalWeakTable<DbContext, Pending> pending = new();

    sealed class Pending
    {
        public readonly HashSet<CommitSignal> Signals = [];
        public bool Saving;
    }

    /// <summary>A statement ran; <paramref name="completed"/>: its result is fully read (a reader's is not yet).</summary>
    void Ran(DbCommand command, DbContext? context, bool completed)
    {
        var matched = false;
        foreach (var watch in watches)
        {
            if (watch.Signal.IsQuiet || !watch.Matches(command.CommandText)) continue;
            matched = true;
            if (context is null) watch.Signal.Notify(); // not through a context: nothing to wait for but the statement
            else pending.GetOrCreateValue(context).Signals.Add(watch.Signal);
        }

        if (matched && context is not null && command.Transaction is null && completed && !pending.GetOrCreateValue(context).Saving)
            Fire(context);
    }

    void Fire(DbContext? context)
    {
        if (context is null || !pending.TryGetValue(context, out var state) || state.Signals.Count == 0) return;
        foreach (var signal in state.Signals) signal.Notify();
        state.Signals.Clear();
    }

    void Committed(DbContext? context)
    {
        Fire(context);
        foreach (var watch in watches)
        {
            if (watch.EveryCommit && !watch.Signal.IsQuiet && !(watch.Signal is OutboxSignal && Inbox.InboxFlow.WakesNothing)) watch.Signal.Notify();
        }
    }

    void Forget(DbContext? context)
    {
        if (context is not null && pending.TryGetValue(context, out var state)) state.Signals.Clear();
    }

    void Saving(DbContext? context, bool saving)
    {
        if (context is not null) pending.GetOrCreateValue(context).Saving = saving;
    }

    // Statements.

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Ran(command, eventData.Context, completed: true);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Ran(command, eventData.Context, completed: true);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Ran(command, eventData.Context, completed: true);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Ran(command, eventData.Context, completed: true);
        return ValueTask.FromResult(result);
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Ran(command, eventData.Context, completed: false);
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Ran(command, eventData.Context, completed: false);
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// A hand-written write read as rows (<c>FromSql</c> of an <c>INSERT … RETURNING</c>) outside a transaction: its
    /// rows are read. A <c>SaveChanges</c> signals when it has saved, after its reader is gone.
    /// </summary>
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (command.Transaction is null && eventData.Context is { } context && pending.TryGetValue(context, out var state) && !state.Saving)
            Fire(context);
        return result;
    }

    // SaveChanges.

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context, true);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context, true);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    void Saved(DbContext? context)
    {
        Saving(context, false);
        // Inside the caller's transaction the commit signals; otherwise the save was its own transaction, now committed.
        if (context?.Database.CurrentTransaction is null) Fire(context);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        Saving(eventData.Context, false);
        if (eventData.Context?.Database.CurrentTransaction is null) Forget(eventData.Context);
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData)
    {
        Saving(eventData.Context, false);
        if (eventData.Context?.Database.CurrentTransaction is null) Forget(eventData.Context);
    }

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesCanceled(eventData);
        return Task.CompletedTask;
    }

    // Transactions.

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Forget(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }
}

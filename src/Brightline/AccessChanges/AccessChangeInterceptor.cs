using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>
/// Tells this process's subscribers of a published change only once it has committed. Why an interceptor
/// rather than the publisher after its SaveChanges: publishers commit in different ways (SaveChanges alone,
/// an explicit transaction that several SaveChanges and the audit log share, transactions opened by a caller
/// further up), and a subscriber told before commit could re-read the old state and cache it again. Here,
/// a change saved outside a transaction is told after SaveChanges; one saved inside a transaction waits for
/// that transaction's commit and is dropped on rollback. Publishers write one line and cannot get it wrong.
/// </summary>
public sealed class AccessChangeInterceptor(AccessChangeHub hub) : AfterCommitInterceptor<AccessChangeRecord>
{
    protected override void OnCommitted(IReadOnlyList<AccessChangeRecord> committed) => hub.TellCommitted(committed);
}

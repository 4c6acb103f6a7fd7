using System.Reflection;
using System.Reflection.Emit;

namespace Brightline.Tests.Architecture;

/// <summary>
/// Which host feature uses which, read from the compiled host assembly: every type's signatures (base type,
/// interfaces, fields, properties, parameters, return types, attributes) and every member or type its method
/// bodies refer to (IL metadata tokens). A feature is the first namespace segment under <c>Brightline.</c>
/// (<c>Brightline.Pages.X</c> belongs to feature X). Compiler-generated types (lambdas, async state machines) are
/// nested in the type that wrote them, so they count for its feature.
/// </summary>
internal static class FeatureDependencies
{
    /// <summary>The composition root: it may use every feature, and no feature may use it.</summary>
    public const string CompositionRoot = "Hosting";

    /// <summary>Shared by every feature; it uses none.</summary>
    public const string Kernel = "Kernel";

    private static readonly Dictionary<short, OperandType> s_operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    public static string? FeatureOf(Type? type)
    {
        while (type is { IsNested: true })
        {
            type = type.DeclaringType;
        }

        if (type?.Namespace is not { } ns || !ns.StartsWith("Brightline.", StringComparison.Ordinal))
        {
            return null;
        }

        // A feature's pages are its user interface, a layer above every feature: Pages/X may use any feature, and
        // no feature may use a page. So pages are nodes of their own ("Pages/X"), not part of X.
        var parts = ns.Split('.');
        return string.Equals(parts[1], "Pages", StringComparison.Ordinal) ? (parts.Length > 2 ? "Pages/" + parts[2] : "Pages") : parts[1];
    }

    /// <summary>feature → (feature it uses → the types that make the edge, for the failure message).</summary>
    public static SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> Read(Assembly host)
    {
        var edges = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var type in host.GetTypes())
        {
            if (FeatureOf(type) is not { } from)
            {
                continue;
            }

            foreach (var used in Uses(type))
            {
                if (FeatureOf(used) is { } to && !string.Equals(to, from, StringComparison.Ordinal) && used.Assembly == host)
                {
                    if (!edges.TryGetValue(from, out var targets))
                    {
                        edges[from] = targets = new(StringComparer.Ordinal);
                    }

                    if (!targets.TryGetValue(to, out var via))
                    {
                        targets[to] = via = new(StringComparer.Ordinal);
                    }

                    via.Add(Outermost(used).Name);
                }
            }
        }

        return edges;
    }

    /// <summary>Strongly connected groups of more than one feature (Tarjan): each is a cycle.</summary>
    public static List<List<string>> Cycles(SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<List<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.TryGetValue(v, out var targets) ? targets.Keys : Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var group = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    group.Add(w);
                }
                while (!string.Equals(w, v, StringComparison.Ordinal));

                if (group.Count > 1)
                {
                    group.Sort(StringComparer.Ordinal);
                    cycles.Add(group);
                }
            }
        }

        foreach (var v in edges.Keys)
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return cycles;
    }

    private static Type Outermost(Type type)
    {
        while (type.IsNested)
        {
            type = type.DeclaringType!;
        }

        return type;
    }

    private static IEnumerable<Type> Uses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();

        void Add(Type? t)
        {
            if (t is null || !found.Add(t))
            {
                return;
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var arg in t.GetGenericArguments())
                {
                    Add(arg);
                }
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Add(a.AttributeType);
        }

        foreach (var f in type.GetFields(all))
        {
            Add(f.FieldType);
        }

        foreach (var p in type.GetProperties(all))
        {
            Add(p.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var p in method.GetParameters())
            {
                Add(p.ParameterType);
            }

            foreach (var t in BodyReferences(method))
            {
                Add(t);
            }
        }

        return found;
    }

    /// <summary>The types named by the metadata tokens in a method body (calls, field accesses, newobj, casts, ldtoken …).</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short code = il[at++];
            if (code == 0xFE)
            {
                code = (short)(0xFE00 | il[at++]);
            }

            var operand = s_operands.TryGetValue(code, out var kind) ? kind : OperandType.InlineNone;
            switch (operand)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    at += 4;
                    Type? referenced = null;
                    try
                    {
                        referenced = module.ResolveMember(token, typeArgs, methodArgs) switch
                        {
                            Type t => t,
                            MemberInfo m => m.DeclaringType,
                            _ => null,
                        };
                    }
                    catch (ArgumentException)
                    {
                        // A token into a generic context this walk cannot supply; its declaring type is seen elsewhere.
                    }

                    if (referenced is not null)
                    {
                        yield return referenced;
                    }

                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, at);
                    at += 4 + (4 * count);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR: four bytes.
                    at += 4;
                    break;
            }
        }
    }
}

using Brightline.Filtering;
using Brightline.Policy.Model;
using Brightline.Filtering.Lists;

namespace Brightline.WebFiltering;

/// <summary>Reads one list file of the policy in its declared format (not SquidGuard, which is a directory) into a sink.</summary>
public static class FilterListFiles
{
    public static ListReport Read(FilterListFormat format, string path, IListSink sink)
    {
        switch (format)
        {
            case FilterListFormat.Plain:
                return PlainListReader.ReadFile(path, sink);
            case FilterListFormat.Hosts:
                return HostsFileReader.ReadFile(path, sink);
            case FilterListFormat.Adblock:
                return AdblockListReader.ReadFile(path, sink);
            case FilterListFormat.E2guardian:
                return E2GuardianListReader.ReadFile(path, sink);
            case FilterListFormat.Rpz:
                using (var reader = new StreamReader(path))
                {
                    return RpzReader.Read(reader, sink, path);
                }

            case FilterListFormat.Squidguard:
                throw new InvalidOperationException("A SquidGuard list is a directory; read it with SquidGuardDirectoryReader.");
            default:
                throw new InvalidOperationException($"Unknown list format {format}.");
        }
    }
}

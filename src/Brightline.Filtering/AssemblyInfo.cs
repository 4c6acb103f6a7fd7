using System.Runtime.CompilerServices;

// Hot paths stackalloc name buffers and suffix-hash arrays on every lookup; every byte is written
// before it is read, so zeroing them first would only cost time.
[module: SkipLocalsInit]

namespace Brightline.Filtering;

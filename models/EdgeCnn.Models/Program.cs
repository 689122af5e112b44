// Regenerates models/default/ (the CLI's embedded default model, its labels and sample images):
//   dotnet run --project models/EdgeCnn.Models -- models/default
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: EdgeCnn.Models OUTPUT_DIRECTORY   (normally models/default)");
    return 2;
}
EdgeCnn.Models.DefaultModelFiles.WriteTo(args[0]);
foreach (var (relative, bytes) in EdgeCnn.Models.DefaultModelFiles.All())
    Console.WriteLine($"{Path.Combine(args[0], relative)}  {bytes.Length} bytes");
return 0;

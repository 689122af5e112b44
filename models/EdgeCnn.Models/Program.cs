// Regenerates models/tiny-cnn/ (a small synthetic test model, its labels and sample pictures):
//   dotnet run --project models/EdgeCnn.Models -- models/tiny-cnn
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: EdgeCnn.Models OUTPUT_DIRECTORY   (normally models/tiny-cnn)");
    return 2;
}
EdgeCnn.Models.TinyCnnFiles.WriteTo(args[0]);
foreach (var (relative, bytes) in EdgeCnn.Models.TinyCnnFiles.All())
    Console.WriteLine($"{Path.Combine(args[0], relative)}  {bytes.Length} bytes");
return 0;

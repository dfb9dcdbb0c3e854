import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Experiment: turn off PyTorch's oneDNN (torch.backends.mkldnn.enabled = False), then train. */
public class MkldnnOff {
  public static void main(String[] args) throws Exception {
    Engine.getEngine("PyTorch");
    String lib = Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.endsWith("libtorch_cpu.so")).map(l -> l.substring(l.indexOf('/'))).findFirst().orElseThrow();
    NativeLibrary torch = NativeLibrary.getInstance(lib);
    Pointer ctx = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
    Function get = torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv");
    System.err.println("mkldnn enabled before: " + get.invokeInt(new Object[] {ctx}) % 256);
    if (!"on".equals(System.getenv("MKLDNN"))) {
      torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invokeVoid(new Object[] {ctx, (byte) 0});
    }
    System.err.println("mkldnn enabled after: " + (get.invokeInt(new Object[] {ctx}) & 0xff) + " (" + lib + ")");
    dev.stn4j.train.TrainCommand.main(args);
  }
}

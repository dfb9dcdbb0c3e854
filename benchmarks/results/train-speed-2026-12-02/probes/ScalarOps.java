package dev.stn4j.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.util.function.BiFunction;

/** Cost of an op with a Java-number operand vs an engine scalar operand vs a unary op, alternating. */
public class ScalarOps {
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(Integer.parseInt(args[1]));
    long size = Long.parseLong(args[0]);
    String[] names = {"add(1f)", "add(engine scalar)", "floor()", "clip(-1,32)", "muli(1f)"};
    long[][] acc = new long[names.length][2];
    int blocks = 40, per = 50;
    try (NDManager m = engine.newBaseManager()) {
      NDArray a = m.randomUniform(-1f, 33f, new Shape(size));
      NDArray one = m.create(1f).duplicate();
      for (int b = -5; b < blocks; b++) {
        for (int v = 0; v < names.length; v++) {
          long w = System.nanoTime(), c = OS.getProcessCpuTime();
          try (NDManager s = m.newSubManager()) {
            for (int i = 0; i < per; i++) {
              switch (v) {
                case 0 -> a.add(1f).attach(s);
                case 1 -> a.add(one).attach(s);
                case 2 -> a.floor().attach(s);
                case 3 -> a.clip(-1, 32).attach(s);
                default -> a.muli(1f);
              }
            }
          }
          if (b >= 0) { acc[v][0] += System.nanoTime() - w; acc[v][1] += OS.getProcessCpuTime() - c; }
        }
      }
    }
    int n = blocks * per;
    for (int v = 0; v < names.length; v++)
      System.out.printf("size %d: %-20s %7.1f us wall %7.1f us cpu%n", size, names[v], acc[v][0] / 1e3 / n, acc[v][1] / 1e3 / n);
  }
}

package dev.adjoint.examples.digits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training curves as a PNG, drawn by XChart: loss on the left, accuracy on the right. */
public final class Plot {
  private Plot() {}

  /** Writes {@code png} with one line per model (and for accuracy, per train/test). */
  public static void write(Path png, Map<String, List<Trainer.Epoch>> runs) {
    XYChart loss = chart("Training loss", "cross-entropy (log scale)");
    loss.getStyler().setYAxisLogarithmic(true);
    loss.getStyler().setLegendPosition(LegendPosition.InsideNE);
    XYChart accuracy = chart("Accuracy", "% correct");
    accuracy.getStyler().setLegendPosition(LegendPosition.InsideSE);
    for (Map.Entry<String, List<Trainer.Epoch>> run : runs.entrySet()) {
      List<Trainer.Epoch> epochs = run.getValue();
      double[] x = epochs.stream().mapToDouble(Trainer.Epoch::number).toArray();
      series(loss, run.getKey(), x, epochs.stream().mapToDouble(Trainer.Epoch::trainLoss));
      series(accuracy, run.getKey() + " train", x,
          epochs.stream().mapToDouble(e -> 100 * e.trainAccuracy()));
      series(accuracy, run.getKey() + " test", x,
          epochs.stream().mapToDouble(e -> 100 * e.testAccuracy()));
    }
    try {
      // XChart adds the extension itself
      String name = png.toString().replaceFirst("\\.png$", "");
      BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, name,
          BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("Plot: cannot write " + png, e);
    }
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart = new XYChartBuilder().width(600).height(400).title(title).xAxisTitle("epoch")
        .yAxisTitle(yTitle).build();
    chart.getStyler().setMarkerSize(4);
    return chart;
  }

  private static void series(XYChart chart, String name, double[] x,
      DoubleStream y) {
    chart.addSeries(name, x, y.toArray()).setMarker(SeriesMarkers.CIRCLE);
  }
}

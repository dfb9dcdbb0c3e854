package dev.stn4j.spark;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The columns {@link StnClassifierTransformer} appends, in order. */
final class OutputColumns {
  static final String LABEL = "label";
  static final String CLASS_INDEX = "class_index";
  static final String CONFIDENCE = "confidence";
  static final String PROBABILITIES = "probabilities";
  static final String THETA = "theta";
  static final String ERROR = "error";

  /** All nullable: a row whose image failed has an error and nothing else. */
  static final List<StructField> FIELDS =
      List.of(
          DataTypes.createStructField(LABEL, DataTypes.StringType, true),
          DataTypes.createStructField(CLASS_INDEX, DataTypes.IntegerType, true),
          DataTypes.createStructField(CONFIDENCE, DataTypes.FloatType, true),
          DataTypes.createStructField(
              PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false), true),
          DataTypes.createStructField(
              THETA, DataTypes.createArrayType(DataTypes.FloatType, false), true),
          DataTypes.createStructField(ERROR, DataTypes.StringType, true));

  private OutputColumns() {}
}

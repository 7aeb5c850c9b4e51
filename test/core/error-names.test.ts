import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { CloudError, createYandexCloud, iamToken, YandexCloudError } from "../../src/index.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerless } from "../../src/aws/emr-serverless/index.js";
import { HuaweiCloudError, createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import { JobExecutionService } from "../../src/huawei/mrs/v2/index.js";

// Every error the package raises is a ConnectError by prototype (the
// program's one copy) and names its own class; CloudError.from keeps it.
describe("error identity", () => {
  const failures = async (): Promise<Array<[string, unknown]>> => {
    // Refused before sending (bad input): no server needed, nothing sent.
    const yandex = createYandexCloud({ credentials: iamToken("t".repeat(40)), endpoint: "http://127.0.0.1:9" });
    const aws = createAwsCloud({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: awsCredentials({ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s".repeat(40) }) });
    const huawei = createHuaweiCloud({ region: "cn-north-4", endpoint: "http://127.0.0.1:9", projectId: "p", credentials: huaweiCredentials({ accessKey: "AK", secretKey: "s".repeat(40) }) });
    try {
      return [
        ["YandexCloudError", await yandex.client(JobService).get({ clusterId: "", jobId: "" }).catch((e: unknown) => e)],
        ["AwsError", await aws.client(EmrServerless).getJobRun({ applicationId: "", jobRunId: "" }).catch((e: unknown) => e)],
        ["HuaweiCloudError", await huawei.client(JobExecutionService).showSingleJobExe({ clusterId: "", jobExecutionId: "" }).catch((e: unknown) => e)],
      ];
    } finally {
      yandex.close();
      aws.close();
      huawei.close();
    }
  };

  it("names each cloud's class, is a ConnectError by prototype, and CloudError.from keeps it", async () => {
    for (const [name, error] of await failures()) {
      expect((error as Error).name, name).toBe(name);
      expect(ConnectError.prototype.isPrototypeOf(error as object)).toBe(true);
      expect(error).toBeInstanceOf(CloudError);
      const same = CloudError.from(error);
      expect(same).toBe(error);
      expect(same.code).toBe(Code.InvalidArgument);
      // Connect's own from() does not know the name, and wraps: say so in the docs.
      expect(ConnectError.from(error).code).toBe(Code.Unknown);
    }
    const [[, yandex], [, aws], [, huawei]] = await failures();
    expect(yandex).toBeInstanceOf(YandexCloudError);
    expect(aws).toBeInstanceOf(AwsError);
    expect(huawei).toBeInstanceOf(HuaweiCloudError);
    expect(yandex).not.toBeInstanceOf(AwsError);
  });
});

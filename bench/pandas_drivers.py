"""The same aggregation as spendbrief drivers' line query, written as a pandas user would."""
import json, sys, time, resource
import pandas as pd

path, cur_start, cur_end, prev_start, prev_end = sys.argv[1:6]
t = time.perf_counter()
df = pd.read_csv(path, usecols=["ChargePeriodStart", "BilledCost", "ConsumedQuantity", "ChargeCategory", "ServiceName",
    "SubAccountId", "RegionId", "SkuId", "ResourceId", "Tags", "BillingCurrency"],
    dtype={"SubAccountId": str, "ChargeCategory": str, "ServiceName": str, "RegionId": str, "SkuId": str,
           "ResourceId": str, "Tags": str, "BillingCurrency": str}, keep_default_na=False, na_values=["", "NULL"])
day = pd.to_datetime(df["ChargePeriodStart"], utc=True).dt.strftime("%Y-%m-%d")
df["team"] = df["Tags"].map(lambda s: json.loads(s).get("team", "") if isinstance(s, str) and s else "")
in_cur = (day >= cur_start) & (day <= cur_end)
in_prev = (day >= prev_start) & (day <= prev_end)
df["cur_cost"] = df["BilledCost"].where(in_cur, 0.0)
df["prev_cost"] = df["BilledCost"].where(in_prev, 0.0)
df["cur_qty"] = df["ConsumedQuantity"].where(in_cur, 0.0)
df["prev_qty"] = df["ConsumedQuantity"].where(in_prev, 0.0)
keys = ["ServiceName", "SubAccountId", "RegionId", "team", "SkuId", "ResourceId", "ChargeCategory", "BillingCurrency"]
out = df[in_cur | in_prev].fillna({k: "" for k in keys}).groupby(keys, sort=False)[["prev_cost", "cur_cost", "prev_qty", "cur_qty"]].sum()
ms = (time.perf_counter() - t) * 1000
print(json.dumps({"ms": [ms], "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "lines": len(out)}))
